/**
 * What this node knows, without asking the store, of the throttle keys that may hold failures:
 * the one thing that lets a client secret this node verified before be accepted at once
 * (client-auth.ts). Accepting it unchecked where a cap may be reached would make the answer an
 * oracle (CONTRACT.md: "a cap answers 429 whatever the secret"), so a key is one of:
 * - **marked**: a failure may be counted under it until its window ends, or an attempt that may
 *   become one is under way on this node. Marked by this node's own failures and refusals, by
 *   the failures other nodes announce (PostgreSQL NOTIFY, {@link ChangesPort.watchFailures}),
 *   and while an attempt is in flight, synchronously, before its first await, so that a burst
 *   of guesses cannot slip a right secret past a wrong one still being hashed;
 * - **unknown**: failures may have been counted without this node hearing of them: during one
 *   window after the node starts, after the store said another process changed something
 *   ({@link ChangesPort.changeVersion}: on PostgreSQL, a notification that names nothing or a
 *   LISTEN connection that cannot be trusted; on SQLite, any commit by another connection), or
 *   after a mark was forgotten to keep the map bounded. A reservation that finds no failure
 *   but its own makes the key known clean again for the rest of that time;
 * - **clean**: neither: a right secret may be accepted without a store round trip.
 * An unknown or marked key only costs the right secret a reservation (counted in order with
 * the guesses, given back on success), never a wrong answer.
 */
import { BoundedMap } from '../bounded-map.js';
import type { Clock } from '../clock.js';
import type { ChangesPort } from '../ports/changes-port.js';

/** Most keys marked at once (each a hashed key and a time: a few MiB at most). */
export const FAILURE_MARKS = 50_000;
/** Most keys remembered as clean while failures may have gone unheard of. */
const SEEN_CLEAN = 100_000;

export type KeyState = 'clean' | 'marked' | 'unknown';

export class FailureMarks {
  readonly #changes: ChangesPort;
  readonly #clock: Clock;
  readonly #windowMs: number;
  /** Key → until when it may hold failures; re-marking moves a key to the end, so the oldest entry ends first. */
  readonly #marks: BoundedMap<string, number>;
  /** Attempts under way on this node, by key. As many entries as attempts in flight, at most. */
  readonly #inFlight = new Map<string, number>();
  readonly #seenClean = new BoundedMap<string, true>(SEEN_CLEAN);
  #unknownUntil: number;
  #version: number;
  #epoch = 0;

  constructor(changes: ChangesPort, clock: Clock, windowMs: number, capacity = FAILURE_MARKS) {
    this.#changes = changes;
    this.#clock = clock;
    this.#windowMs = windowMs;
    this.#marks = new BoundedMap(capacity);
    // Failures counted before this node started (or while it was down) are not known here.
    this.#unknownUntil = clock.now() + windowMs;
    this.#version = changes.changeVersion();
    changes.watchFailures?.((keys) => {
      for (const key of keys) this.mark(key);
    });
  }

  /** Keys marked now (some may have ended, not yet dropped) and keys seen clean: for the tests that flood them. */
  get sizes(): { marked: number; seenClean: number } {
    return { marked: this.#marks.size, seenClean: this.#seenClean.size };
  }

  /** Changes whenever everything seen clean is forgotten; a reservation's finding counts only within one. */
  get epoch(): number {
    this.#sync();
    return this.#epoch;
  }

  /** A failure (or a refusal at a cap) under `key`: marked until a window from now has passed. */
  mark(key: string): void {
    const now = this.#clock.now();
    this.#seenClean.delete(key);
    this.#marks.delete(key);
    const forgotten = this.#marks.set(key, now + this.#windowMs);
    // A mark still running was forgotten: until it would have ended, no absence of a mark proves anything.
    if (forgotten !== undefined && forgotten[1] > now) this.#unknownUntil = Math.max(this.#unknownUntil, forgotten[1]);
  }

  /** An attempt under `keys` is under way: they are marked until the returned function is called (once). */
  attempt(keys: readonly string[]): () => void {
    for (const key of keys) this.#inFlight.set(key, (this.#inFlight.get(key) ?? 0) + 1);
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      for (const key of keys) {
        const count = (this.#inFlight.get(key) ?? 1) - 1;
        if (count > 0) this.#inFlight.set(key, count);
        else this.#inFlight.delete(key);
      }
    };
  }

  /**
   * A reservation made in `epoch` found no attempt under `key` but its own. A mark, or an attempt
   * in flight, still wins over it ({@link state}), and a later mark forgets it.
   */
  seenClean(key: string, epoch: number): void {
    this.#sync();
    if (epoch === this.#epoch && this.#clock.now() < this.#unknownUntil) this.#seenClean.set(key, true);
  }

  /** Whether every key is clean: the synchronous check of the fast path. */
  allClean(keys: readonly string[]): boolean {
    this.#sync();
    const now = this.#clock.now();
    for (const key of keys) if (this.#state(key, now) !== 'clean') return false;
    return true;
  }

  state(key: string): KeyState {
    this.#sync();
    return this.#state(key, this.#clock.now());
  }

  #state(key: string, now: number): KeyState {
    if (this.#inFlight.has(key)) return 'marked';
    const until = this.#marks.get(key);
    if (until !== undefined) {
      if (until > now) return 'marked';
      this.#marks.delete(key);
    }
    return now < this.#unknownUntil && !this.#seenClean.has(key) ? 'unknown' : 'clean';
  }

  /** Another process may have changed anything: what was seen clean is forgotten, for a window. */
  #sync(): void {
    const version = this.#changes.changeVersion();
    if (version === this.#version) return;
    this.#version = version;
    this.#epoch++;
    this.#seenClean.clear();
    this.#unknownUntil = Math.max(this.#unknownUntil, this.#clock.now() + this.#windowMs);
  }
}
