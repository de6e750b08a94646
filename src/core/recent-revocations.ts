/**
 * The last single-token revocations this node made or was told of, in order, so that a store
 * read or an issuance that overlapped some is still cached unless one of them was its own token.
 *
 * Before, any revocation kept every overlapping read and issuance out of the cache. On
 * PostgreSQL a revocation arrives twice (made here, then echoed by the change notification) and
 * an issuance's write takes a round trip: in the mixed workload (1% revocations) one issued token
 * in two was not cached, and its first request read the store (docs/performance.md). A
 * revocation can only make a cached entry wrong for its own token: others are unaffected.
 *
 * Bounded: a ring of the last {@link RECENT_REVOCATIONS} hashes. A read that overlapped more
 * revocations than the ring holds cannot tell, and is treated as overlapping its own.
 */
export const RECENT_REVOCATIONS = 1024;

export class RecentRevocations {
  readonly #hashes: Array<string | undefined> = new Array(RECENT_REVOCATIONS);
  /** Revocations recorded so far: where a mark stands. */
  #count = 0;

  /** Where the record stands now: what {@link mayHold} is later asked from. */
  get mark(): number {
    return this.#count;
  }

  add(hash: string): void {
    this.#hashes[this.#count % RECENT_REVOCATIONS] = hash;
    this.#count++;
  }

  /** Whether `hash` was revoked since `mark`, or too many were to tell. */
  mayHold(hash: string, mark: number): boolean {
    if (this.#count - mark > RECENT_REVOCATIONS) return true;
    for (let at = mark; at < this.#count; at++) if (this.#hashes[at % RECENT_REVOCATIONS] === hash) return true;
    return false;
  }
}
