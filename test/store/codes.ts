/** Authorization codes for the store suite and the grant tests, built directly. */
import { randomBytes } from 'node:crypto';
import type { AuthorizationCode } from '../../src/core/models.js';
import { T0, type World } from './fixtures.js';

/** An authorization code of the world's user for its client, issued at T0, five minutes to live. */
export function codeOf(w: World, overrides: Partial<AuthorizationCode> = {}): AuthorizationCode {
  return {
    hash: randomBytes(32).toString('hex'),
    clientId: w.client.id,
    userId: w.user.id,
    organizationId: w.organization.id,
    sessionHash: null,
    redirectUri: 'https://app.test/callback',
    scopes: ['user-basic-info'],
    codeChallenge: null,
    issuedAt: T0,
    expiresAt: T0 + 300_000,
    consumedAt: null,
    familyId: null,
    ...overrides,
  };
}
