/** Where time comes from. Injected everywhere so that tests move time instead of sleeping. */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** A clock that only moves when told to; for tests and benchmarks. */
export class ManualClock implements Clock {
  #now: number;
  constructor(start = Date.UTC(2026, 0, 1)) {
    this.#now = start;
  }
  now(): number {
    return this.#now;
  }
  advance(ms: number): void {
    this.#now += ms;
  }
  set(ms: number): void {
    this.#now = ms;
  }
}

/**
 * The clock of a server started with test controls on (`TOKEND_TEST_CONTROLS=1`): real time plus
 * an offset that a test moves forward and resets (test-clock.ts). Never built otherwise, so a
 * server without test controls reads the plain system clock.
 */
export class OffsetClock implements Clock {
  readonly #base: Clock;
  #offsetMs = 0;
  constructor(base: Clock) {
    this.#base = base;
  }
  now(): number {
    return this.#base.now() + this.#offsetMs;
  }
  /** The time without the offset: replay memory is kept until the later of both expiries. */
  realNow(): number {
    return this.#base.now();
  }
  get offsetMs(): number {
    return this.#offsetMs;
  }
  set offsetMs(ms: number) {
    this.#offsetMs = ms;
  }
}
