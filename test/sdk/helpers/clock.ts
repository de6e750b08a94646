import type { Clock } from '../../../src/sdk/index.js';

/** A clock that only moves when the SDK sleeps or the test advances it. */
export interface FakeClock {
  clock: Clock;
  /** Every sleep the SDK asked for, in milliseconds, in order. */
  sleeps: number[];
  advance(ms: number): void;
}

export function fakeClock(start = Date.UTC(2025, 0, 1)): FakeClock {
  let now = start;
  const sleeps: number[] = [];
  return {
    sleeps,
    advance: (ms) => {
      now += ms;
    },
    clock: {
      now: () => now,
      sleep: async (ms, signal) => {
        signal?.throwIfAborted();
        sleeps.push(ms);
        now += ms;
      },
    },
  };
}
