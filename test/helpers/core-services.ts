/**
 * Core's services without HTTP (src/core/services.ts), over a real store on the suite's backend
 * (a SQLite file, or PostgreSQL with TOKEND_TEST_DATABASE=postgres) and a clock that moves only
 * when told: what the core unit tests of test/core build.
 */
import { ManualClock } from '../../src/core/clock.js';
import type { ApiErrorCode, OAuthErrorCode } from '../../src/core/errors.js';
import type { TokenRecord } from '../../src/core/models.js';
import { hashToken, newToken } from '../../src/core/secrets.js';
import { createCore, type ServiceOptions, type Services } from '../../src/core/services.js';
import type { Store } from '../../src/store/store.js';
import { T0, tokenOf, type World } from '../store/fixtures.js';
import { openBackendStore } from './backend-store.js';

export interface Core {
  store: Store;
  clock: ManualClock;
  services: Services;
  close(): Promise<void>;
}

/** Services on a fresh migrated store, the clock at the fixtures' T0. */
export async function openCore(prefix: string, options: Partial<ServiceOptions> = {}): Promise<Core> {
  const { store, close } = await openBackendStore(prefix);
  const clock = new ManualClock(T0);
  const services = createCore(store, { clock, tokenCacheSize: 1000, ...options });
  return { store, clock, services, close };
}

/** Stores a token of `w` (a live access token of its user unless `overrides` say otherwise); returns the raw token. */
export async function storedToken(store: Store, w: World, overrides: Partial<TokenRecord> = {}): Promise<string> {
  const raw = newToken();
  await store.insertToken(tokenOf(w, { hash: hashToken(raw), ...overrides }));
  return raw;
}

/** `Authorization: Basic base64(id:secret)`. */
export const basic = (clientId: string, secret: string): string => `Basic ${Buffer.from(`${clientId}:${secret}`).toString('base64')}`;

/** What `assert.rejects` matches an `ApiError` against: every field it carries, headers included. */
export function apiErrorOf(status: number, code: ApiErrorCode, message: string, options: Record<string, unknown> = {}) {
  return { name: 'ApiError', status, code, message, options };
}

/** What `assert.rejects` matches an `OAuthError` against: status, error, description and headers. */
export function oauthErrorOf(status: number, error: OAuthErrorCode, description: string, headers: Record<string, string> = {}) {
  return { name: 'OAuthError', status, error, message: description, headers };
}

/** The answer to a bad bearer token, exactly (CONTRACT.md, "Bearer tokens on /api/v2"). */
export const BAD_CREDENTIALS = apiErrorOf(401, 'bad.credentials', 'Invalid login credentials.', {
  headers: { 'WWW-Authenticate': 'Bearer realm="tokend", error="invalid_token"' },
});

/** The one answer to an unknown client and a wrong secret alike. */
export const INVALID_CLIENT = oauthErrorOf(401, 'invalid_client', 'authentication failed', { 'WWW-Authenticate': 'Basic realm="tokend"' });
