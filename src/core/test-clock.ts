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

  constructor(clock: OffsetClock, store: TestClockPort & TokensPort & ChangesPort, authenticator: Authenticator) {
    this.#clock = clock;
    this.#store = store;
    this.#authenticator = authenticator;
  }

  /** Takes the stored offset, and hears every later move of any node. */
  async start(): Promise<void> {
    this.#store.watchClockOffset?.((offsetMs) => this.#moved(offsetMs));
    // Moves made while this node could not hear them: read again once it hears again.
    this.#store.watchNotifications?.((connected) => {
      if (connected)
        this.#store.readClockOffset().then(
          (offsetMs) => this.#moved(offsetMs),
          () => {},
        );
    });
    this.#moved(await this.#store.readClockOffset());
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
    this.#moved(offsetMs);
    return this.read();
  }

  /** Back to real time, on every node, once the ends the advanced clock saw are recorded. */
  async reset(): Promise<ClockReading> {
    if (this.#clock.offsetMs > 0) await this.#store.deleteExpired(this.#clock.now());
    await this.#store.writeClockOffset(0);
    this.#moved(0);
    return this.read();
  }

  #moved(offsetMs: number): void {
    const back = offsetMs < this.#clock.offsetMs;
    this.#clock.offsetMs = offsetMs;
    // Cached tokens were judged against the later time: read them again from the store, where the reset deleted the expired ones.
    if (back) this.#authenticator.invalidate();
  }
}
