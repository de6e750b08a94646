/**
 * The hot path: "is this bearer token good, and whose is it?"
 *
 * One SHA-256 and one Map lookup per request on a warm cache; no store write and no slow hash.
 * The idle clock moves in memory ({@link IdleClock}) and is persisted in batches, but every
 * decision is taken against the in-memory clock, so no token outlives its idle deadline
 * (CONTRACT.md: the deadline is exact to the second).
 *
 * Several nodes on one database: a token revoked elsewhere is dropped from the cache when the
 * store reports it ({@link Store.watchRevocations}), anything else changed elsewhere drops the
 * whole cache ({@link Store.changeVersion}), and an idle deadline seen as passed is settled
 * against the other nodes' last-use writes before the token is ended.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { CoreCounts, type RevocationCause } from './counts.js';
import { errors } from './errors.js';
import type { Clock } from './clock.js';
import type { Directory } from './directory.js';
import type { IdleClock } from './idle-clock.js';
import { effectiveIdleSeconds } from './idle-policy.js';
import type { Client, Organization, TokenRecord, User } from './models.js';
import { hashToken } from './secrets.js';
import type { Store } from '../store/store.js';
import { cachedUsage, requestUsage, type TokenUsage } from './token-usage.js';

/** Who is calling: an authenticated access token with everything the API needs about it. */
export interface Principal {
  readonly token: TokenRecord;
  readonly organization: Organization;
  readonly client: Client;
  readonly user: User | null;
  /** The idle timeout that applies to this token, in seconds, or null. */
  readonly idleSeconds: number | null;
  /** The token's last use (epoch ms); {@link Authenticator.touch} moves it to now. */
  lastUsedAt: number;
  /** Its last use and rate-limit count, held with the cached token (token-usage.ts). */
  readonly usage: TokenUsage;
}

interface CachedToken {
  token: TokenRecord;
  organization: Organization;
  client: Client;
  user: User | null;
  idleSeconds: number | null;
  readonly usage: TokenUsage;
}

/** How often a just-passed idle deadline re-reads the store while other nodes' writes may land. */
const SETTLE_POLL_MS = 100;

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
/**
 * How long a dropped cache still lends its tokens' usage to their reloads: one rate-limit
 * window, so that dropping the cache (any change to organizations, clients or users) does not
 * restart every token's count.
 */
const CARRY_USAGE_MS = 60_000;

export class Authenticator {
  readonly #store: Store;
  readonly #directory: Directory;
  readonly #clock: Clock;
  readonly #idleClock: IdleClock;
  readonly #cacheSize: number;
  readonly #idleSettleMs: number;
  /** Validations, cache lookups and revocations, counted as plain numbers (counts.ts). */
  readonly counts: CoreCounts;
  #tokens = new Map<string, CachedToken>();
  /** The last dropped cache, until {@link CARRY_USAGE_MS} after it was dropped. */
  #dropped: { tokens: Map<string, CachedToken>; until: number } | null = null;
  /**
   * Families revoked here since the cache was last dropped, with when: a cached token of one,
   * issued before that moment, is refused. Checked per request in O(1) instead of scanning
   * every cached token on each revocation (at a million cached tokens a DELETE /tokens/me
   * stalled the event loop for tens of milliseconds).
   */
  #revokedFamilies = new Map<string, number>();
  #seenVersion: number;
  /** Counts revocations reported by the store, so a load that overlapped one is not cached. */
  #revocations = 0;

  constructor(store: Store, directory: Directory, clock: Clock, idleClock: IdleClock, options: AuthenticatorOptions) {
    this.#store = store;
    this.#directory = directory;
    this.#clock = clock;
    this.#idleClock = idleClock;
    this.#cacheSize = options.cacheSize;
    this.#idleSettleMs = options.idleSettleMs ?? 0;
    this.counts = options.counts ?? new CoreCounts();
    this.#seenVersion = store.changeVersion();
    store.watchRevocations?.((hash) => this.#revokedElsewhere(hash));
  }

  /**
   * Resolves a raw bearer token to its principal, or throws `bad.credentials`. Does not move
   * the idle clock: {@link touch} does, once the request has proven valid.
   */
  async authenticate(rawToken: string): Promise<Principal> {
    this.#syncWithStore();
    const hash = hashToken(rawToken);
    const { validations, tokenCache } = this.counts;
    const cached = this.#tokens.get(hash);
    if (cached === undefined) tokenCache.misses++;
    else tokenCache.hits++;
    const entry = cached ?? (await this.#load(hash));
    if (!entry) {
      validations.unknown++;
      throw errors.badCredentials();
    }
    const now = this.#clock.now();
    const refusal = this.#refusal(entry, now);
    if (refusal !== null) {
      validations[refusal]++;
      throw errors.badCredentials();
    }
    const { token, client, user, idleSeconds, usage } = entry;
    let lastUsedAt = this.#idleClock.lastUse(hash, token.lastUsedAt, usage);
    if (idleSeconds !== null && now >= lastUsedAt + idleSeconds * 1000) {
      // Another node may have seen a later use: check the store before ending the token.
      lastUsedAt = await this.#freshLastUse(hash, lastUsedAt, now, idleSeconds * 1000);
      if (now >= lastUsedAt + idleSeconds * 1000) {
        validations.idle++;
        await this.revokeToken(hash, 'idle');
        throw errors.badCredentials();
      }
    }
    validations.valid++;
    return { token, organization: entry.organization, client, user, idleSeconds, lastUsedAt, usage };
  }

  /**
   * The principal of a token that is cached and good, answered without waiting; null for
   * anything else (not cached, refused, or past its idle deadline), which {@link authenticate}
   * then decides. For the HTTP fast lane (src/http/fast-lane.ts): the same checks, in memory.
   */
  cachedPrincipal(rawToken: string): Principal | null {
    this.#syncWithStore();
    const hash = hashToken(rawToken);
    const entry = this.#tokens.get(hash);
    if (entry === undefined) return null;
    const now = this.#clock.now();
    if (this.#refusal(entry, now) !== null) return null;
    const { token, organization, client, user, idleSeconds, usage } = entry;
    const lastUsedAt = this.#idleClock.lastUse(hash, token.lastUsedAt, usage);
    if (idleSeconds !== null && now >= lastUsedAt + idleSeconds * 1000) return null;
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

  async #freshLastUse(hash: string, known: number, now: number, idleMs: number): Promise<number> {
    const stored = await this.#store.findTokenByHash(hash);
    const last = stored && stored.lastUsedAt > known ? stored.lastUsedAt : known;
    const settled = last + idleMs + this.#idleSettleMs;
    if (now >= settled || now < last + idleMs) return last;
    // Just past the deadline: another node may have accepted a use less than one flush interval
    // ago that is not written yet. Read again until such a use shows up or its flush must have
    // landed (real time: flushes run on timers, whatever the injected clock says).
    const giveUpAt = Date.now() + Math.min(settled - now, this.#idleSettleMs);
    for (;;) {
      const wait = Math.min(SETTLE_POLL_MS, giveUpAt - Date.now());
      if (wait > 0) await sleep(wait);
      const later = await this.#store.findTokenByHash(hash);
      if (later && later.lastUsedAt > last) return later.lastUsedAt;
      if (Date.now() >= giveUpAt) return last;
    }
  }

  /**
   * Revokes one token here and in the store; effective on the next request. `cause` is counted
   * (counts.ts); null when the revocation is part of one already counted.
   */
  async revokeToken(hash: string, cause: RevocationCause | null): Promise<void> {
    const now = this.#clock.now();
    await this.#store.revokeToken(hash, now);
    if (cause !== null) this.counts.revocations.add(cause);
    const entry = this.#tokens.get(hash);
    if (entry && entry.token.revokedAt === null) entry.token = { ...entry.token, revokedAt: now };
    this.#idleClock.forget(hash);
  }

  /** Revokes every token of a user; returns how many were live. */
  async revokeUserTokens(userId: string, cause: RevocationCause): Promise<number> {
    const count = await this.#store.revokeUserTokens(userId, this.#clock.now());
    this.counts.revocations.add(cause);
    this.#dropWhere((entry) => entry.token.userId === userId);
    return count;
  }

  /** Revokes every token of a sign-in family. */
  async revokeFamily(familyId: string, cause: RevocationCause | null): Promise<number> {
    const now = this.#clock.now();
    const count = await this.#store.revokeFamily(familyId, now);
    if (cause !== null) this.counts.revocations.add(cause);
    if (this.#revokedFamilies.size >= MAX_REVOKED_FAMILIES) this.invalidate();
    else this.#revokedFamilies.set(familyId, now);
    return count;
  }

  /** Drops everything cached; call after changing organizations, clients or users. */
  invalidate(): void {
    this.#directory.invalidate();
    if (this.#tokens.size > 0) {
      const dropped = { tokens: this.#tokens, until: this.#clock.now() + CARRY_USAGE_MS };
      this.#dropped = dropped;
      // Its memory is released then even if no token loads meanwhile (the check in #droppedUsage keeps the injected clock).
      setTimeout(() => {
        if (this.#dropped === dropped) this.#dropped = null;
      }, CARRY_USAGE_MS).unref();
    }
    this.#tokens = new Map();
    // The dropped cache still lends its usage for a while, but holds no Use in the idle clock.
    this.#idleClock.releaseAll();
    // Tokens load afresh from the store now, where their family's revocation is written.
    this.#revokedFamilies = new Map();
  }

  /**
   * Another node revoked this token. Revocation is final, so the cached entry is marked rather
   * than dropped: the next request is refused from memory, without a database read.
   */
  #revokedElsewhere(hash: string): void {
    this.#revocations++;
    const entry = this.#tokens.get(hash);
    if (entry && entry.token.revokedAt === null) entry.token = { ...entry.token, revokedAt: this.#clock.now() };
    this.#idleClock.forget(hash);
  }

  #dropWhere(predicate: (entry: CachedToken) => boolean): void {
    for (const [hash, entry] of this.#tokens) {
      if (!predicate(entry)) continue;
      this.#tokens.delete(hash);
      this.#idleClock.release(entry.usage);
    }
  }

  /** Another process (the CLI, another node) may have revoked or disabled something. */
  #syncWithStore(): void {
    const version = this.#store.changeVersion();
    if (version !== this.#seenVersion) {
      this.#seenVersion = version;
      this.invalidate();
    }
  }

  /** The usage a token had in the last dropped cache, while that is recent enough to lend it. */
  #droppedUsage(hash: string): TokenUsage | undefined {
    if (this.#dropped === null) return undefined;
    if (this.#clock.now() < this.#dropped.until) return this.#dropped.tokens.get(hash)?.usage;
    this.#dropped = null;
    return undefined;
  }

  async #load(hash: string): Promise<CachedToken | null> {
    // A change that commits while we read may not be in what we read: then use the entry for
    // this request (it overlapped the change) but do not cache it.
    const version = this.#store.changeVersion();
    const revocations = this.#revocations;
    const token = await this.#store.findTokenByHash(hash);
    if (!token || token.kind !== 'access') return null;
    const [organization, client, user] = await Promise.all([
      this.#directory.organization(token.organizationId),
      this.#directory.client(token.clientId),
      token.userId === null ? Promise.resolve(null) : this.#directory.user(token.userId),
    ]);
    if (!organization || !client || (token.userId !== null && !user)) return null;
    const idleSeconds = effectiveIdleSeconds(organization.idleTokenTimeout, user);
    // Overlapped a change: used for this request only, so its usage is looked up by hash.
    if (revocations !== this.#revocations || version !== this.#store.changeVersion()) {
      return { token, organization, client, user, idleSeconds, usage: requestUsage() };
    }
    const entry: CachedToken = { token, organization, client, user, idleSeconds, usage: this.#droppedUsage(hash) ?? cachedUsage() };
    if (this.#tokens.size >= this.#cacheSize) {
      const oldest = this.#tokens.entries().next();
      if (!oldest.done) {
        const [oldestHash, oldestEntry] = oldest.value;
        this.#tokens.delete(oldestHash);
        this.#idleClock.release(oldestEntry.usage);
        this.counts.tokenCache.evictions++;
      }
    }
    this.#tokens.set(hash, entry);
    return entry;
  }
}
