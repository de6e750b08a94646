/**
 * Tokens issued per client per minute, over every grant of the client (Genesys names its limit
 * `client.credentials.token.rate.per.minute`). Each token is a row kept for its lifetime (24 hours
 * by default), and a client with a valid secret could otherwise mint thousands a second and fill
 * the disk (docs/configuration.md, "The issuance limit"); past the limit `/oauth/token` answers 429 with `Retry-After`.
 *
 * Counted per node, in memory (a cluster of N nodes admits N times the limit): the count is one
 * synchronous step, so parallel requests cannot overshoot it, and it adds no store round trip
 * to an issuance. It is taken where tokens are minted, after every check of the grant (client
 * authentication, code, refresh token, password), so an unauthenticated caller can neither use
 * up a client's budget nor add an entry: the map holds only clients that were issued tokens in
 * the last minute, and entries are dropped once their window has ended.
 *
 * A client's window starts at its first issuance in it and lasts a minute, as Genesys counts a
 * token's requests (CONTRACT.md, "Rate limit body").
 */
import type { Clock } from './clock.js';
import { oauthErrors } from './errors.js';

const WINDOW_MS = 60_000;

interface Window {
  start: number;
  count: number;
}

export class IssuanceLimit {
  readonly perMinute: number;
  readonly #clock: Clock;
  readonly #windows = new Map<string, Window>();
  #nextPruneAt = Number.NEGATIVE_INFINITY;

  constructor(perMinute: number, clock: Clock) {
    this.perMinute = perMinute;
    this.#clock = clock;
  }

  /** Counts one issuance to `clientId`, or throws the 429 if its window is full (counting nothing). */
  take(clientId: string): void {
    const now = this.#clock.now();
    if (now >= this.#nextPruneAt) this.#prune(now);
    let window = this.#windows.get(clientId);
    if (window === undefined || now >= window.start + WINDOW_MS) {
      window = { start: now, count: 0 };
      this.#windows.set(clientId, window);
    }
    if (window.count >= this.perMinute) {
      throw oauthErrors.issuanceLimited(this.perMinute, Math.max(1, Math.ceil((window.start + WINDOW_MS - now) / 1000)));
    }
    window.count++;
  }

  /** Clients counted now (for the test that floods it). */
  get size(): number {
    return this.#windows.size;
  }

  /** Drops the windows that have ended: once a minute, a pass over the clients of the last minute. */
  #prune(now: number): void {
    for (const [clientId, window] of this.#windows) if (now >= window.start + WINDOW_MS) this.#windows.delete(clientId);
    this.#nextPruneAt = now + WINDOW_MS;
  }
}
