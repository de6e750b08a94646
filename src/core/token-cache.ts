/**
 * The Authenticator's memory of loaded access tokens, bounded (the oldest go first), and indexed
 * by client and by user so that a change to one of them drops just its tokens without visiting
 * the others: an admin API makes such changes routinely (a Terraform run, many at once), and a
 * walk over a million cached tokens stalls the event loop for tens of milliseconds each time.
 * Organization and role changes (rare, and touching most of an organization's tokens anyway)
 * walk the cache while it is small. Past {@link MAX_DROPPED_ONE_BY_ONE} tokens to drop, or
 * {@link MAX_WALKED} to walk, the whole cache is dropped at once instead, as before targeted
 * drops: deleting one random hash from a large map is a few cache misses, and a client holding
 * half a million cached tokens would stall the event loop for a second.
 *
 * A dropped token's usage (its last use and rate-limit count) is lent to its reload for one
 * rate-limit window, so that a change does not restart the counts of the tokens it drops.
 */
import type { CachedToken } from './cached-token.js';
import type { IdleClock } from './idle-clock.js';
import type { TokenUsage } from './token-usage.js';

export type { CachedToken } from './cached-token.js';

const MAX_DROPPED_ONE_BY_ONE = 10_000;
const MAX_WALKED = 100_000;

/** How long a dropped token's usage is lent to its reload: one rate-limit window. */
const CARRY_USAGE_MS = 60_000;

export class TokenCache {
  readonly #capacity: number;
  readonly #idleClock: IdleClock;
  #tokens = new Map<string, CachedToken>();
  #byClient: Index = new Map();
  #byUser: Index = new Map();
  /** The last cache dropped whole, until {@link CARRY_USAGE_MS} after it was dropped. */
  #dropped: { tokens: Map<string, CachedToken>; until: number } | null = null;
  /** Usage of tokens dropped one by one, oldest first, at most {@link #capacity}. */
  #lent = new Map<string, { usage: TokenUsage; until: number }>();

  constructor(capacity: number, idleClock: IdleClock) {
    this.#capacity = capacity;
    this.#idleClock = idleClock;
  }

  get(hash: string): CachedToken | undefined {
    return this.#tokens.get(hash);
  }

  get size(): number {
    return this.#tokens.size;
  }

  /** Whether another token would push out the oldest. */
  get full(): boolean {
    return this.#tokens.size >= this.#capacity;
  }

  /** Adds a loaded token; true when the oldest one was evicted to make room (counted by the metrics). */
  add(hash: string, entry: CachedToken): boolean {
    let evicted = false;
    // Two requests that loaded the same token at once: the later entry replaces the earlier
    // (the same token, so the same client and user in the indexes).
    if (!this.#tokens.has(hash)) {
      if (this.#tokens.size >= this.#capacity) {
        const oldest = this.#tokens.keys().next();
        if (!oldest.done) {
          this.#delete(oldest.value);
          evicted = true;
        }
      }
      indexAdd(this.#byClient, entry.clientId, hash);
      if (entry.user !== null) indexAdd(this.#byUser, entry.user.id, hash);
    }
    this.#tokens.set(hash, entry);
    return evicted;
  }

  /** Drops the tokens of one client (or everything, past {@link MAX_DROPPED_ONE_BY_ONE}). */
  dropClient(clientId: string, now: number): void {
    this.#dropIndexed(this.#byClient.get(clientId), now);
  }

  /** Drops the tokens of one user (or everything, past {@link MAX_DROPPED_ONE_BY_ONE}). */
  dropUser(userId: string, now: number): void {
    this.#dropIndexed(this.#byUser.get(userId), now);
  }

  /** Drops every token `predicate` picks, walking the cache (for rare changes), or everything past {@link MAX_WALKED}. */
  dropWhere(predicate: (entry: CachedToken) => boolean, now: number): void {
    if (this.#tokens.size > MAX_WALKED) return this.clear(now);
    const hashes: string[] = [];
    for (const [hash, entry] of this.#tokens) if (predicate(entry)) hashes.push(hash);
    this.#dropAll(hashes, now);
  }

  /** Drops everything at once, without visiting each entry. */
  clear(now: number): void {
    if (this.#tokens.size > 0) {
      const dropped = { tokens: this.#tokens, until: now + CARRY_USAGE_MS };
      this.#dropped = dropped;
      // Its memory is released then even if no token loads meanwhile (lentUsage keeps the injected clock).
      setTimeout(() => {
        if (this.#dropped === dropped) this.#dropped = null;
      }, CARRY_USAGE_MS).unref();
    }
    this.#tokens = new Map();
    this.#byClient = new Map();
    this.#byUser = new Map();
    // The dropped cache still lends its usage for a while, but holds no Use in the idle clock.
    this.#idleClock.releaseAll();
  }

  /** The usage a dropped token had, while recent enough to lend to its reload. */
  lentUsage(hash: string, now: number): TokenUsage | undefined {
    const one = this.#lent.get(hash);
    if (one !== undefined) {
      this.#lent.delete(hash);
      if (now < one.until) return one.usage;
    }
    if (this.#dropped === null) return undefined;
    if (now < this.#dropped.until) return this.#dropped.tokens.get(hash)?.usage;
    this.#dropped = null;
    return undefined;
  }

  #dropIndexed(hashes: string | Set<string> | undefined, now: number): void {
    if (hashes === undefined) return;
    if (typeof hashes === 'string') return this.#dropAll([hashes], now);
    if (hashes.size > MAX_DROPPED_ONE_BY_ONE) return this.clear(now);
    // Copied: deleting empties the index set being walked.
    this.#dropAll([...hashes], now);
  }

  /** `hashes` is not an index set (deleting empties those). */
  #dropAll(hashes: string[], now: number): void {
    if (hashes.length === 0) return;
    if (hashes.length > MAX_DROPPED_ONE_BY_ONE) return this.clear(now);
    this.#forgetExpiredLends(now);
    for (const hash of hashes) {
      const entry = this.#delete(hash);
      if (entry === undefined) continue;
      if (this.#lent.size >= this.#capacity) this.#lent.delete(this.#lent.keys().next().value as string);
      this.#lent.set(hash, { usage: entry.usage, until: now + CARRY_USAGE_MS });
    }
  }

  #forgetExpiredLends(now: number): void {
    for (const [hash, { until }] of this.#lent) {
      if (until > now) return;
      this.#lent.delete(hash);
    }
  }

  #delete(hash: string): CachedToken | undefined {
    const entry = this.#tokens.get(hash);
    if (entry === undefined) return undefined;
    this.#tokens.delete(hash);
    indexDelete(this.#byClient, entry.clientId, hash);
    if (entry.user !== null) indexDelete(this.#byUser, entry.user.id, hash);
    this.#idleClock.release(entry.usage);
    return entry;
  }
}

/**
 * Token hashes by client or user id: the one hash itself while there is one (most users hold a
 * token or two, and a Set per user would be most of the index's memory), a Set past that.
 */
type Index = Map<string, string | Set<string>>;

function indexAdd(index: Index, key: string, hash: string): void {
  const hashes = index.get(key);
  if (hashes === undefined) index.set(key, hash);
  else if (typeof hashes === 'string') index.set(key, new Set([hashes, hash]));
  else hashes.add(hash);
}

function indexDelete(index: Index, key: string, hash: string): void {
  const hashes = index.get(key);
  if (hashes === undefined) return;
  if (typeof hashes === 'string') {
    if (hashes === hash) index.delete(key);
    return;
  }
  hashes.delete(hash);
  if (hashes.size === 0) index.delete(key);
}
