/**
 * The hot path: "is this bearer token good, and whose is it?"
 *
 * One SHA-256 and one Map lookup per request on a warm cache; no store write and no slow hash.
 * The idle clock moves in memory ({@link IdleClock}) and is persisted in batches, but every
 * decision is taken against the in-memory clock, so no token outlives its idle deadline
 * (CONTRACT.md: the deadline is exact to the second).
 *
 * Several nodes on one database: a token revoked elsewhere is dropped from the cache when the
 * store reports it ({@link ChangesPort.watchRevocations}), a change to an organization, client, user
 * or role drops what depends on it ({@link ChangesPort.watchDirectory}, and the admin core here), a
 * change made elsewhere that does not say what it was drops the whole cache
 * ({@link ChangesPort.changeVersion}), and an idle deadline seen as passed is settled against the
 * other nodes' last-use writes before the token is ended.
 */
import { CachedToken, type Holders } from './cached-token.js';
import { CoreCounts, type RevocationCause } from './counts.js';
import type { Clock } from './clock.js';
import type { Directory } from './directory.js';
import type { IdleClock } from './idle-clock.js';
import { effectiveIdleSeconds } from './idle-policy.js';
import { settledLastUse } from './idle-settle.js';
import { RecentRevocations } from './recent-revocations.js';
import { TokenCache } from './token-cache.js';
import { heldRoleIds, type TokenRecord } from './models.js';
import { hashToken } from './secrets.js';
import type { ChangesPort, DirectoryChange } from './ports/changes-port.js';
import type { TokensPort } from './ports/tokens-port.js';
import { cachedUsage, requestUsage, type TokenUsage } from './token-usage.js';
import type { Principal, Validation } from './principal.js';

export interface AuthenticatorOptions {
  /** The most tokens kept in memory; the oldest are dropped first. */
  cacheSize: number;
  /**
   * Where other nodes share the store: how long after an idle deadline their last-use writes
   * may still land (their flush interval and a margin). 0 on a store of one node.
   */
  idleSettleMs?: number;
  /** Where validations, cache hits and revocations are counted (read by the metrics endpoint). */
  counts?: CoreCounts;
}

/** Past this many remembered family revocations the whole cache is dropped instead. */
const MAX_REVOKED_FAMILIES = 100_000;
export class Authenticator {
  readonly #store: TokensPort & ChangesPort;
  readonly #directory: Directory;
  readonly #clock: Clock;
  readonly #idleClock: IdleClock;
  readonly #idleSettleMs: number;
  readonly #tokens: TokenCache;
  /** Validations, cache lookups and revocations, counted as plain numbers (counts.ts). */
  readonly counts: CoreCounts;
  /**
   * Families revoked here since the cache was last dropped, with when: a cached token of one,
   * issued before that moment, is refused. Checked per request in O(1) instead of scanning
   * every cached token on each revocation (at a million cached tokens a DELETE /tokens/me
   * stalled the event loop for tens of milliseconds).
   */
  #revokedFamilies = new Map<string, number>();
  #seenVersion: number;
  /**
   * Counts the changes told one by one (a changed organization, client, user or role, a user's
   * or family's revocation), so that a load which overlapped one is not cached. One counter for
   * all: a load overlapping an unrelated change is used uncached for its request only, which
   * costs a reload, while remembering what each load read would cost memory on every load.
   */
  #changes = 0;
  /** Single-token revocations, here or elsewhere: they keep out only a load of their own token. */
  readonly #revocations = new RecentRevocations();
  /** Tokens read from the store to fill the cache (for tests and benchmarks: what a change cost). */
  #loads = 0;

  constructor(store: TokensPort & ChangesPort, directory: Directory, clock: Clock, idleClock: IdleClock, options: AuthenticatorOptions) {
    this.#store = store;
    this.#directory = directory;
    this.#clock = clock;
    this.#idleClock = idleClock;
    this.#tokens = new TokenCache(options.cacheSize, idleClock);
    this.#idleSettleMs = options.idleSettleMs ?? 0;
    this.counts = options.counts ?? new CoreCounts();
    this.#seenVersion = store.changeVersion();
    store.watchRevocations?.((hash) => this.#revokedElsewhere(hash));
    store.watchDirectory?.((change) => this.#changedElsewhere(change));
  }

  /**
   * The principal of a raw bearer token, or why it is refused, counted (counts.ts): at once when
   * the cache decides, a promise when the store must be read (a token not cached, or one past its
   * idle deadline here). Does not move the idle clock: {@link touch} does, once the request is good.
   */
  validate(rawToken: string): Validation | Promise<Validation> {
    this.#syncWithStore();
    const hash = hashToken(rawToken);
    const cached = this.#tokens.get(hash);
    if (cached === undefined) {
      this.counts.tokenCache.misses++;
      return this.#loadAndJudge(hash);
    }
    this.counts.tokenCache.hits++;
    return this.#judge(hash, cached);
  }

  async #loadAndJudge(hash: string): Promise<Validation> {
    const entry = await this.#load(hash);
    if (entry) return this.#judge(hash, entry);
    this.counts.validations.unknown++;
    return 'unknown';
  }

  #judge(hash: string, entry: CachedToken): Validation | Promise<Validation> {
    const now = this.#clock.now();
    const refusal = this.#refusal(entry, now);
    if (refusal !== null) {
      this.counts.validations[refusal]++;
      return refusal;
    }
    const { token, organization, client, user, idleSeconds, usage } = entry;
    const lastUsedAt = this.#idleClock.lastUse(hash, token.lastUsedAt, usage);
    if (idleSeconds !== null && now >= lastUsedAt + idleSeconds * 1000) return this.#settleIdle(hash, entry, lastUsedAt, now);
    this.counts.validations.valid++;
    return { token, organization, client, user, idleSeconds, lastUsedAt, usage };
  }

  /** Past its idle deadline here: another node may have seen a later use (idle-settle.ts). */
  async #settleIdle(hash: string, entry: CachedToken, known: number, now: number): Promise<Validation> {
    const idleMs = (entry.idleSeconds ?? 0) * 1000;
    const lastUsedAt = await settledLastUse(this.#store, hash, known, now, idleMs, this.#idleSettleMs);
    if (now >= lastUsedAt + idleMs) {
      this.counts.validations.idle++;
      await this.revokeToken(hash, 'idle');
      return 'idle';
    }
    this.counts.validations.valid++;
    const { token, organization, client, user, idleSeconds, usage } = entry;
    return { token, organization, client, user, idleSeconds, lastUsedAt, usage };
  }

  /** Every check of a cached entry but the idle deadline: null when it is not revoked, expired or disabled. */
  #refusal({ token, client, user }: CachedToken, now: number): 'revoked' | 'expired' | 'disabled' | null {
    if (token.revokedAt !== null) return 'revoked';
    if (now >= token.expiresAt) return 'expired';
    if (this.#revokedFamilies.size > 0 && token.familyId !== null && token.issuedAt <= (this.#revokedFamilies.get(token.familyId) ?? -1)) return 'revoked';
    return client.state === 'active' && (user === null || user.state === 'active') ? null : 'disabled';
  }

  /** Tokens held in the cache now (the metrics endpoint reads it at scrape). */
  get cacheSize(): number {
    return this.#tokens.size;
  }

  /** Restarts the principal's idle clock (every authenticated request but `preserveIdleTTL=true`). */
  touch(principal: Principal): void {
    const now = this.#clock.now();
    if (now <= principal.lastUsedAt) return;
    this.#idleClock.touch(principal.token.hash, now, principal.token.lastUsedAt, principal.idleSeconds !== null, principal.usage);
    principal.lastUsedAt = now;
  }

  /**
   * Revokes one token here and in the store; effective on the next request. `cause` is counted
   * (counts.ts); null when the revocation is part of one already counted.
   */
  async revokeToken(hash: string, cause: RevocationCause | null): Promise<void> {
    const now = this.#clock.now();
    // A load under way may have read the token live: it must not cache it so. Recorded again
    // once written: a load begun meanwhile (an asynchronous store) may have read it before the write.
    this.#revocations.add(hash);
    await this.#store.revokeToken(hash, now);
    this.#revocations.add(hash);
    if (cause !== null) this.counts.revocations.add(cause);
    const entry = this.#tokens.get(hash);
    if (entry && entry.revokedAt === null) this.#tokens.add(hash, entry.revoked(now));
    this.#idleClock.forget(hash);
  }

  /** Revokes every token of a user; returns how many were live. */
  async revokeUserTokens(userId: string, cause: RevocationCause): Promise<number> {
    this.#changes++;
    const count = await this.#store.revokeUserTokens(userId, this.#clock.now());
    if (count > 0) this.counts.revocations.add(cause);
    this.#tokens.dropUser(userId, this.#clock.now());
    return count;
  }

  /** Revokes every token of a sign-in family. */
  async revokeFamily(familyId: string, cause: RevocationCause | null): Promise<number> {
    const now = this.#clock.now();
    this.#changes++;
    const count = await this.#store.revokeFamily(familyId, now);
    // Counted when it ended something: a sign-in already ended (a spent refresh token presented after /oauth/revoke) is not counted twice.
    if (cause !== null && count > 0) this.counts.revocations.add(cause);
    if (this.#revokedFamilies.size >= MAX_REVOKED_FAMILIES) this.invalidate();
    else this.#revokedFamilies.set(familyId, now);
    return count;
  }

  /** Drops everything cached; for a change whose extent is unknown. */
  invalidate(): void {
    this.#changes++;
    this.#directory.invalidate();
    this.#tokens.clear(this.#clock.now());
    // Tokens load afresh from the store now, where their family's revocation is written.
    this.#revokedFamilies = new Map();
  }

  /** A client changed (state, secret, grants, roles): its tokens are read afresh. */
  clientChanged(clientId: string): void {
    this.#changes++;
    this.#directory.clientChanged(clientId);
    this.#tokens.dropClient(clientId, this.#clock.now());
  }

  /** A user changed (state, roles, groups, password): their tokens are read afresh. */
  userChanged(userId: string): void {
    this.#changes++;
    this.#directory.userChanged(userId);
    this.#tokens.dropUser(userId, this.#clock.now());
  }

  /** An organization changed (its idle timeout): its tokens are read afresh. */
  organizationChanged(organizationId: string): void {
    this.#changes++;
    this.#directory.organizationChanged(organizationId);
    this.#tokens.dropWhere((entry) => entry.token.organizationId === organizationId, this.#clock.now());
  }

  /** A role changed: the tokens of its holders (users, and clients of client credentials) are read afresh. */
  roleChanged(roleId: string): void {
    this.#changes++;
    this.#directory.roleChanged();
    const holds = (entry: CachedToken): boolean =>
      entry.user !== null ? heldRoleIds(entry.user).includes(roleId) : entry.client.roleDivisions.some((rd) => rd.roleId === roleId);
    this.#tokens.dropWhere(holds, this.#clock.now());
  }

  /** What the cache holds and how many tokens were read to fill it (tests, benchmarks). */
  get cacheStats(): { tokens: number; loads: number } {
    return { tokens: this.#tokens.size, loads: this.#loads };
  }

  #changedElsewhere({ kind, id }: DirectoryChange): void {
    if (kind === 'client') this.clientChanged(id);
    else if (kind === 'user') this.userChanged(id);
    else if (kind === 'organization') this.organizationChanged(id);
    else if (kind === 'role') this.roleChanged(id);
    // A group's own row (name, version, visibility): no token depends on it; its members arrive as users.
  }

  /**
   * Another node revoked this token. Revocation is final, so the cached entry is marked rather
   * than dropped: the next request is refused from memory, without a database read.
   */
  #revokedElsewhere(hash: string): void {
    this.#revocations.add(hash);
    const entry = this.#tokens.get(hash);
    if (entry && entry.revokedAt === null) this.#tokens.add(hash, entry.revoked(this.#clock.now()));
    this.#idleClock.forget(hash);
  }

  /** Another process (the CLI, another node) may have revoked or disabled something. */
  #syncWithStore(): void {
    const version = this.#store.changeVersion();
    if (version !== this.#seenVersion) {
      this.#seenVersion = version;
      this.invalidate();
    }
  }

  async #load(hash: string): Promise<CachedToken | null> {
    // A change that commits while we read may not be in what we read: then use the entry for
    // this request (it overlapped the change) but do not cache it.
    const mark = this.cacheMark();
    this.#loads++;
    const token = await this.#store.findTokenByHash(hash);
    if (!token || token.kind !== 'access') return null;
    const holders = await this.#holders(token);
    if (holders === null) return null;
    // Overlapped a change: used for this request only, so its usage is looked up by hash.
    if (this.#changedSince(mark, hash)) return this.#entry(hash, token, holders, requestUsage());
    const entry = this.#entry(hash, token, holders, this.#tokens.lentUsage(hash, this.#clock.now()) ?? cachedUsage());
    if (this.#tokens.add(hash, entry)) this.counts.tokenCache.evictions++;
    return entry;
  }

  /** A stored token's organization, client and user, from the directory; null when one of them is gone. */
  async #holders(token: TokenRecord): Promise<Holders | null> {
    const [organization, client, user] = await Promise.all([
      this.#directory.organization(token.organizationId),
      this.#directory.client(token.clientId),
      token.userId === null ? Promise.resolve(null) : this.#directory.user(token.userId),
    ]);
    if (!organization || !client || (token.userId !== null && !user)) return null;
    return { organization, client, user };
  }

  #entry(hash: string, token: TokenRecord, holders: Holders, usage: TokenUsage): CachedToken {
    return new CachedToken(hash, token, holders, effectiveIdleSeconds(holders.organization.idleTokenTimeout, holders.user), usage);
  }

  /** Where changes stand now: a read or write begun here is cached only if none came before it ended. */
  cacheMark(): CacheMark {
    return { version: this.#store.changeVersion(), changes: this.#changes, revocations: this.#revocations.mark };
  }

  /** Whether a read of `hash` begun at `mark` may be older than the store now. */
  #changedSince(mark: CacheMark, hash: string): boolean {
    return mark.changes !== this.#changes || mark.version !== this.#store.changeVersion() || this.#revocations.mayHold(hash, mark.revocations);
  }

  /**
   * An access token this node has just stored (issuer.ts): cached at once, so that the app's
   * first request with it is answered from memory instead of read back from the store, as every
   * new token's was (docs/performance.md, the mixed workload). It takes a free place only, never
   * a cached token's: tokens issued and never used must not push out tokens in use. Never
   * rejects; the issuer awaits it, so a token is cached before its issuance is answered (the
   * directory holds its organization, client and user then: the grant has just read them).
   */
  async remember(token: TokenRecord, mark: CacheMark): Promise<void> {
    if (token.kind !== 'access' || this.#tokens.full) return;
    // Not cached when the directory cannot be read: its first request reads it from the store, as without this.
    const holders = await this.#holders(token).catch(() => null);
    // A request that loaded it meanwhile keeps its entry (and the usage counted in it).
    if (holders === null || this.#changedSince(mark, token.hash) || this.#tokens.full || this.#tokens.get(token.hash) !== undefined) return;
    this.#tokens.add(token.hash, this.#entry(token.hash, token, holders, cachedUsage()));
  }
}

/** Where changes stood when a store read or write began (Authenticator.cacheMark). */
export interface CacheMark {
  readonly version: number;
  readonly changes: number;
  /** Where the record of single-token revocations stood (RecentRevocations.mark). */
  readonly revocations: number;
}
