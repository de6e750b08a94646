/**
 * A cached access token: its record's fields, its organization, client and user from the
 * directory, and its usage, in one object that is also the record (`token` is the object
 * itself). At a million cached tokens every object and every field counts: a record and an
 * entry beside it were two object headers, a pointer between them, and the organization, client
 * and user ids that the holders already carry (docs/performance.md, "Memory per cached token").
 * Here those ids are read from the holders, and the values other cached tokens hold too are
 * shared: the hash is the cache's key, one string per grant type, one array per scope list.
 *
 * Immutable as a request sees it: a revocation caches a revoked copy (`revoked`), so a request
 * that already holds the token reads one state throughout.
 */
import type { Client, Organization, TokenRecord, User } from './models.js';
import type { TokenUsage } from './token-usage.js';

/** Grant types as tokend writes them (token records' `grant_type`): one string each. */
const GRANT_TYPE_NAMES = new Map(
  ['client_credentials', 'authorization_code', 'password', 'refresh_token', 'implicit', 'urn:ietf:params:oauth:grant-type:saml2-bearer'].map((name) => [
    name,
    name,
  ]),
);

/** Scope lists shared by cached tokens, by the list joined; bounded, whatever lists clients ask for. */
const MAX_SCOPE_LISTS = 4096;
const scopeLists = new Map<string, string[]>();

function sharedScopes(scopes: string[]): string[] {
  // Scopes never contain a space (RFC 6749 scope-token), so the joined list names the list in its order.
  const key = scopes.length === 0 ? '' : scopes.join(' ');
  const known = scopeLists.get(key);
  if (known !== undefined) return known;
  if (scopeLists.size < MAX_SCOPE_LISTS) scopeLists.set(key, scopes);
  return scopes;
}

/** What a cached token holds besides its record: read from the directory. */
export interface Holders {
  readonly organization: Organization;
  readonly client: Client;
  readonly user: User | null;
}

export class CachedToken implements TokenRecord {
  readonly hash: string;
  /** Shared with every cached token of the same list: nothing changes it. */
  readonly scopes: string[];
  readonly grantType: string;
  readonly issuedAt: number;
  readonly expiresAt: number;
  readonly lastUsedAt: number;
  readonly revokedAt: number | null;
  readonly familyId: string | null;
  readonly codeHash: string | null;
  readonly organization: Organization;
  readonly client: Client;
  readonly user: User | null;
  /** The idle timeout that applies to it (organization's, or none for its user), in seconds. */
  readonly idleSeconds: number | null;
  /** Its last use and rate-limit window, shared with a revoked copy of it. */
  readonly usage: TokenUsage;

  /** `record` as stored under `hash` (the cache's key for it), with its holders. */
  constructor(hash: string, record: TokenRecord, { organization, client, user }: Holders, idleSeconds: number | null, usage: TokenUsage) {
    this.hash = hash;
    this.scopes = sharedScopes(record.scopes);
    this.grantType = GRANT_TYPE_NAMES.get(record.grantType) ?? record.grantType;
    this.issuedAt = record.issuedAt;
    this.expiresAt = record.expiresAt;
    this.lastUsedAt = record.lastUsedAt;
    this.revokedAt = record.revokedAt;
    this.familyId = record.familyId;
    this.codeHash = record.codeHash;
    this.organization = organization;
    this.client = client;
    this.user = user;
    this.idleSeconds = idleSeconds;
    this.usage = usage;
  }

  /** The token's record: the cached token itself. */
  get token(): TokenRecord {
    return this;
  }

  /** Only access tokens are cached. */
  get kind(): 'access' {
    return 'access';
  }

  get organizationId(): string {
    return this.organization.id;
  }

  get clientId(): string {
    return this.client.id;
  }

  get userId(): string | null {
    return this.user === null ? null : this.user.id;
  }

  /** This token revoked at `at`, with the same holders and usage. */
  revoked(at: number): CachedToken {
    return new CachedToken(this.hash, { ...this.#fields(), revokedAt: at }, this, this.idleSeconds, this.usage);
  }

  #fields(): TokenRecord {
    const { hash, kind, organizationId, clientId, userId, scopes, grantType, issuedAt, expiresAt, lastUsedAt, revokedAt, familyId, codeHash } = this;
    return { hash, kind, organizationId, clientId, userId, scopes, grantType, issuedAt, expiresAt, lastUsedAt, revokedAt, familyId, codeHash };
  }
}
