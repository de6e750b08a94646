/**
 * The test clock (CONTRACT.md, "A clock and faults for tests"): a test moves tokend's time
 * forward and back to real time, for every part that reads the one clock of core (token expiry,
 * idle deadlines, codes, refresh tokens, throttle and rate-limit windows, device cookies). Built
 * only when the server starts with test controls on; the offset is stored, so every node of one
 * PostgreSQL database moves together, and a restart keeps it.
 *
 * Ends are recorded: going back to real time must not bring a token back that the advanced
 * clock ended. An idle end already revokes its token (authenticator.ts); a reset deletes the
 * tokens expired at the advanced time before it moves the clock back, and every node drops its
 * cached tokens, so they are read again from what is stored.
 */
import type { Authenticator } from './authenticator.js';
import { ApiError } from './errors.js';
import type { OffsetClock } from './clock.js';
import type { ChangesPort } from './ports/changes-port.js';
import type { TestClockPort } from './ports/test-clock-port.js';
import type { TokensPort } from './ports/tokens-port.js';

export interface ClockReading {
  /** Milliseconds since the epoch, as tokend reads them now. */
  now: number;
  offsetSeconds: number;
}

/** The largest offset kept (100 years): a date past it is not one tokend or a client can write. */
export const MAX_OFFSET_SECONDS = 100 * 365 * 24 * 3600;

export class TestClock {
  readonly #clock: OffsetClock;
  readonly #store: TestClockPort & TokensPort & ChangesPort;
  readonly #authenticator: Authenticator;
  /** Moves heard from the store's watcher so far. */
  #movesHeard = 0;

  constructor(clock: OffsetClock, store: TestClockPort & TokensPort & ChangesPort, authenticator: Authenticator) {
    this.#clock = clock;
    this.#store = store;
    this.#authenticator = authenticator;
  }

  /** Takes the stored offset, and hears every later move of any node. */
  async start(): Promise<void> {
    this.#store.watchClockOffset?.((offsetMs) => this.#heard(offsetMs));
    // Moves made while this node could not hear them: read again once it hears again.
    this.#store.watchNotifications?.((connected) => {
      if (connected) this.#readStored().catch(() => {});
    });
    await this.#readStored();
  }

  /** A read that a move heard meanwhile makes stale is dropped: the move is newer. */
  async #readStored(): Promise<void> {
    const heardBefore = this.#movesHeard;
    const offsetMs = await this.#store.readClockOffset();
    if (this.#movesHeard === heardBefore) this.#moved(offsetMs);
  }

  #heard(offsetMs: number): void {
    this.#movesHeard++;
    this.#moved(offsetMs);
  }

  read(): ClockReading {
    return { now: this.#clock.now(), offsetSeconds: this.#clock.offsetMs / 1000 };
  }

  /** Moves the clock forward by `seconds` (> 0), on every node. */
  async advance(seconds: number): Promise<ClockReading> {
    // Past it, dates are not ones tokend or a client can write (an ISO-8601 year above 9999).
    if (this.#clock.offsetMs / 1000 + seconds > MAX_OFFSET_SECONDS) {
      throw new ApiError(400, 'invalid.value', `seconds would move the clock more than ${MAX_OFFSET_SECONDS} seconds ahead of real time`, {
        details: [{ errorCode: 'invalid.value', fieldName: 'seconds' }],
      });
    }
    const offsetMs = await this.#store.addClockOffset(Math.round(seconds * 1000));
    this.#applyOwn(offsetMs);
    return this.read();
  }

  /** Back to real time, on every node, once the ends the advanced clock saw are recorded. */
  async reset(): Promise<ClockReading> {
    if (this.#clock.offsetMs > 0) await this.#store.deleteExpired(this.#clock.now());
    await this.#store.writeClockOffset(0);
    this.#applyOwn(0);
    return this.read();
  }

  /**
   * Where moves are watched (several nodes), the watcher applies every move, this node's own
   * included, in the order the store made them, before the store call resolves; applying the
   * answer here too could set an older offset after a newer one of another node.
   */
  #applyOwn(offsetMs: number): void {
    if (this.#store.watchClockOffset === undefined) this.#moved(offsetMs);
  }

  #moved(offsetMs: number): void {
    const back = offsetMs < this.#clock.offsetMs;
    this.#clock.offsetMs = offsetMs;
    // Cached tokens were judged against the later time: read them again from the store, where the reset deleted the expired ones.
    if (back) this.#authenticator.invalidate();
  }
}
