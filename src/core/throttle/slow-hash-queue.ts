/**
 * The bounded queue every slow hash that an unauthenticated request starts goes through
 * (passwords at sign-in, client secrets at /oauth/token): at most `concurrency` run at once
 * (scrypt runs on libuv's pool of 4 threads, which file system calls share), at most
 * `maxWaiting` wait, and past that the request is refused at once with {@link SlowHashBusyError}
 * (429 and `Retry-After`), so that no flood of wrong secrets can pin the CPU or grow a queue
 * without end.
 *
 * Known callers (a browser holding the account's device cookie, a client id from an address it
 * authenticated from before) have `knownWaiting` places of their own on top, and wait ahead of
 * everyone else (CONTRACT.md, "Sign-in and client-authentication throttling"): a flood of
 * unknown callers, each under its caps, fills only the places open to anyone, so a known caller
 * waits for at most the hashes already running.
 *
 * A caller takes its place ({@link SlowHashQueue.enter}) before it reserves a throttle attempt,
 * so a request turned away here has written nothing and counts as nothing.
 */
import { availableParallelism } from 'node:os';
import { SlowHashBusyError } from '../errors.js';

export interface SlowHashLimits {
  concurrency: number;
  maxWaiting: number;
  /** Places only known callers may take, beyond the others ({@link DEFAULT_KNOWN_WAITING} when not given). */
  knownWaiting?: number;
}

export const DEFAULT_KNOWN_WAITING = 16;

// scrypt at tokend's cost takes tens of milliseconds of one core (docs/performance.md): all cores
// but one at once, so that a flood of wrong secrets always leaves a core for tokens and everything
// else, and 16 waiting is a short wait, not a backlog.
export const DEFAULT_SLOW_HASH_LIMITS: SlowHashLimits = {
  concurrency: Math.max(1, availableParallelism() - 1),
  maxWaiting: 16,
  knownWaiting: DEFAULT_KNOWN_WAITING,
};

/** A place in the queue: used once by {@link run}, or given back by {@link leave}. */
export interface SlowHashPlace {
  run<T>(work: () => Promise<T>): Promise<T>;
  leave(): void;
}

export class SlowHashQueue {
  readonly #concurrency: number;
  /** Places open to anyone (running and waiting); known callers have `knownWaiting` more. */
  readonly #open: number;
  readonly #all: number;
  /** Places taken: hashes running, waiting to run, and places held before their hash starts. */
  #taken = 0;
  #running = 0;
  readonly #waiting: Array<() => void> = [];
  readonly #knownWaiting: Array<() => void> = [];

  /** Requests turned away because every place open to them was taken (read by the metrics endpoint). */
  refused = 0;

  constructor(limits: SlowHashLimits = DEFAULT_SLOW_HASH_LIMITS) {
    this.#concurrency = limits.concurrency;
    this.#open = limits.concurrency + limits.maxWaiting;
    this.#all = this.#open + (limits.knownWaiting ?? DEFAULT_KNOWN_WAITING);
  }

  /** Places taken now (for tests and metrics). */
  get taken(): number {
    return this.#taken;
  }

  /**
   * Takes a place, or throws {@link SlowHashBusyError} at once when every place open to this
   * caller is taken. `known`: a caller the queue keeps places for (see above).
   */
  enter(known = false): SlowHashPlace {
    if (this.#taken >= (known ? this.#all : this.#open)) {
      this.refused++;
      throw new SlowHashBusyError();
    }
    this.#taken++;
    let used = false;
    const use = () => {
      if (used) throw new Error('a slow-hash place is used once');
      used = true;
    };
    return {
      run: (work) => {
        use();
        return this.#run(work, known);
      },
      leave: () => {
        use();
        this.#taken--;
      },
    };
  }

  /** Takes a place and runs `work` in it (or throws {@link SlowHashBusyError}). */
  async run<T>(work: () => Promise<T>, known = false): Promise<T> {
    return this.enter(known).run(work);
  }

  async #run<T>(work: () => Promise<T>, known: boolean): Promise<T> {
    if (this.#running >= this.#concurrency) await new Promise<void>((resolve) => (known ? this.#knownWaiting : this.#waiting).push(resolve));
    else this.#running++;
    try {
      return await work();
    } finally {
      this.#taken--;
      // The slot passes straight to the next in line, known callers first, so `running` never
      // dips below the limit while work waits.
      const next = this.#knownWaiting.shift() ?? this.#waiting.shift();
      if (next) next();
      else this.#running--;
    }
  }
}
