/**
 * One organization with a client of each kind the grants serve, a user with a password, and
 * what a token request of each grant sends: for the grant tests of test/core, without HTTP.
 */
import { createHash } from 'node:crypto';
import { after, before } from 'node:test';
import type { TokenRequest } from '../../src/core/grants/grant.js';
import type { IssuedTokens } from '../../src/core/issuer.js';
import type { AuthorizationCode, Client } from '../../src/core/models.js';
import { hashSecret, hashToken, newToken } from '../../src/core/secrets.js';
import type { ServiceOptions } from '../../src/core/services.js';
import type { Store } from '../../src/store/store.js';
import { codeOf } from '../store/codes.js';
import { clientOf, world, type World } from '../store/fixtures.js';
import { basic, type Core, oauthErrorOf, openCore } from './core-services.js';

export const SECRET = 'grant-test-secret';
export const PASSWORD = 'grant-test-password';
export const REDIRECT_URI = 'https://app.test/callback';
/** A PKCE verifier (RFC 7636 §4.1) and its S256 challenge. */
export const VERIFIER = 'v'.repeat(43);
export const CHALLENGE = createHash('sha256').update(VERIFIER).digest('base64url');

let hashes: Promise<[string, string]> | undefined;

export interface GrantWorld extends World {
  /** CLIENT-CREDENTIALS (w.client), PASSWORD, CODE with a secret, CODE without (public), and a disabled CLIENT-CREDENTIALS. */
  clients: { credentials: Client; password: Client; code: Client; public: Client; disabled: Client };
}

/** Stores a new grant world; `shape` changes it first. Client secrets are {@link SECRET}, the user's password {@link PASSWORD}. */
export async function grantWorld(store: Store, shape: (w: GrantWorld) => void = () => {}): Promise<GrantWorld> {
  hashes ??= Promise.all([hashSecret(SECRET), hashSecret(PASSWORD)]);
  const [secretHash, passwordHash] = await hashes;
  const w = world();
  const org = w.organization.id;
  const userGrant = { scope: ['oauth', 'authorization:readonly'], roleDivisions: [], registeredRedirectUri: [REDIRECT_URI] };
  Object.assign(w.client, { secretHash });
  Object.assign(w.user, { passwordHash });
  const clients = {
    credentials: w.client,
    password: clientOf(org, { ...userGrant, secretHash, authorizedGrantType: 'PASSWORD' }),
    code: clientOf(org, { ...userGrant, secretHash, authorizedGrantType: 'CODE' }),
    public: clientOf(org, { ...userGrant, secretHash: null, authorizedGrantType: 'CODE' }),
    disabled: clientOf(org, { secretHash, state: 'disabled' }),
  };
  const grant: GrantWorld = { ...w, clients };
  grant.plan.organizations[0]?.clients.push(clients.password, clients.code, clients.public, clients.disabled);
  shape(grant);
  await store.applySeed(grant.plan);
  return grant;
}

/** A token request with HTTP Basic for `client` (its secret unless given), from a fixed address. */
export function withBasic(client: Client, form: Record<string, string>, secret = SECRET): TokenRequest {
  return { form, authorization: basic(client.id, secret), address: '192.0.2.1' };
}

/** A token request that names its client by `client_id` alone. */
export function withClientId(client: Client, form: Record<string, string>): TokenRequest {
  return { form: { client_id: client.id, ...form }, authorization: undefined, address: '192.0.2.1' };
}

/** Stores an authorization code of the user for `client`, issued at T0; returns the raw code. */
export async function storedCode(store: Store, w: GrantWorld, client: Client, overrides: Partial<AuthorizationCode> = {}): Promise<string> {
  const raw = newToken();
  await store.insertCode(
    codeOf(w, { hash: hashToken(raw), clientId: client.id, redirectUri: REDIRECT_URI, scopes: ['oauth', 'user-basic-info'], ...overrides }),
  );
  return raw;
}

/** The form of a code redemption. */
export const codeForm = (code: string, extra: Record<string, string> = {}) => ({
  grant_type: 'authorization_code',
  code,
  redirect_uri: REDIRECT_URI,
  ...extra,
});

/** Core services with a grant world stored, and the token endpoint to send requests to. */
export interface GrantCore extends Core {
  w: GrantWorld;
  exchange(request: TokenRequest): Promise<IssuedTokens>;
}

/** Opens a {@link GrantCore} before the tests of this file and hands it to `opened`; closes it after them. */
export function useGrantCore(prefix: string, opened: (core: GrantCore) => void, options: Partial<ServiceOptions> = {}): void {
  let core: Core | undefined;
  before(async () => {
    core = await openCore(prefix, options);
    const exchange = core.services.tokenEndpoint.exchange.bind(core.services.tokenEndpoint);
    opened({ ...core, w: await grantWorld(core.store), exchange });
  });
  after(() => core?.close());
}

/** The `invalid_grant` refusal with this description. */
export const invalidGrant = (description: string) => oauthErrorOf(400, 'invalid_grant', description);
