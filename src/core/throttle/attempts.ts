/**
 * Counting attempts that a slow hash decides (a password, a client secret) under several keys
 * at once, in the store, so that every node and every surface shares the counts
 * (CONTRACT.md, "Sign-in and client-authentication throttling"; OWASP Authentication Cheat
 * Sheet, "Login Throttling").
 *
 * An attempt is reserved under every key BEFORE the hash runs, so N parallel guesses are counted
 * exactly like N sequential ones: at most `limit` of them per key ever get a verdict. A
 * reservation is a failure until proven otherwise: a success gives it back (and clears the keys
 * it names), an attempt that got no verdict (the store or the hash queue failed) gives it back,
 * and a wrong secret keeps it.
 */
import { hash } from 'node:crypto';
import type { Clock } from '../clock.js';
import type { AttemptsPort } from '../ports/attempts-port.js';

export const THROTTLE_WINDOW_MS = 15 * 60_000;

/** One count an attempt is held to: at most `limit` failures under `key` in a window. */
export interface Limit {
  key: string;
  limit: number;
  /**
   * Asked only when `key` is at its limit: true lets the attempt go on without counting under it
   * (a client id's cap from all addresses does not hold for an address it authenticated from).
   */
  exemptWhenFull?: () => Promise<boolean>;
}

/** A key for the store: fixed length whatever the caller sent (a client id may be 16 KiB). */
export function throttleKey(kind: string, ...parts: string[]): string {
  return `${kind}:${hash('sha256', parts.join('\u0000'), 'base64url')}`;
}

export type Reservation =
  | {
      readonly reserved: true;
      /** The keys under which this attempt was the only one counted in the window: no failure there before it. */
      readonly alone: readonly string[];
      succeeded(clear: readonly string[]): Promise<void>;
      abandon(): Promise<void>;
    }
  | { readonly reserved: false; readonly retryAfterSeconds: number /** The key at its limit. */; readonly refusedBy: string };

export class AttemptThrottle {
  readonly #store: AttemptsPort;
  readonly #clock: Clock;
  readonly #windowMs: number;

  constructor(store: AttemptsPort, clock: Clock, windowMs = THROTTLE_WINDOW_MS) {
    this.#store = store;
    this.#clock = clock;
    this.#windowMs = windowMs;
  }

  /**
   * Reserves one attempt under each limit, in the order given (broadest first, so a caller over
   * its address limit writes no row for each new account or client id it names). A refusal
   * gives back what it reserved and tells when the refusing window ends.
   */
  async reserve(limits: readonly Limit[]): Promise<Reservation> {
    const now = this.#clock.now();
    const held: Array<{ key: string; windowStartedAt: number }> = [];
    const alone: string[] = [];
    for (const { key, limit, exemptWhenFull } of limits) {
      const window = await this.#store.reserveAttempt(key, now, this.#windowMs, limit);
      if (window === null && exemptWhenFull !== undefined && (await exemptWhenFull())) continue;
      if (window === null) {
        await this.#giveBack(held);
        const state = await this.#store.findSignInFailures(key);
        const endsAt = (state?.windowStartedAt ?? now) + this.#windowMs;
        return { reserved: false, retryAfterSeconds: Math.max(1, Math.ceil((endsAt - now) / 1000)), refusedBy: key };
      }
      held.push({ key, windowStartedAt: window.windowStartedAt });
      if (window.failures === 1) alone.push(key);
    }
    return {
      reserved: true,
      alone,
      succeeded: async (clear) => {
        await this.#giveBack(held.filter(({ key }) => !clear.includes(key)));
        for (const key of clear) await this.#store.clearSignInFailures(key);
      },
      abandon: () => this.#giveBack(held),
    };
  }

  /**
   * Whether an attempt already known to succeed (a client secret this node verified before) is
   * under every cap, read rather than reserved: it will not be a failure, so a service's own
   * right secrets sent in parallel never count against one another. Guesses in flight hold
   * their reservations, so they count here already, and a key at its cap refuses as
   * {@link reserve} would. Answers like a reservation that nothing can fail.
   */
  async peek(limits: readonly Limit[]): Promise<Reservation> {
    const now = this.#clock.now();
    const alone: string[] = [];
    for (const { key, limit, exemptWhenFull } of limits) {
      const state = await this.#store.findSignInFailures(key);
      const failures = state !== null && now - state.windowStartedAt < this.#windowMs ? state.failures : 0;
      if (failures >= limit && !(exemptWhenFull !== undefined && (await exemptWhenFull()))) {
        const endsAt = (state?.windowStartedAt ?? now) + this.#windowMs;
        return { reserved: false, retryAfterSeconds: Math.max(1, Math.ceil((endsAt - now) / 1000)), refusedBy: key };
      }
      if (failures === 0) alone.push(key);
    }
    return {
      reserved: true,
      alone,
      // Only a count that holds failures is cleared: a clean one costs no write.
      succeeded: async (clear) => {
        for (const key of clear) if (!alone.includes(key)) await this.#store.clearSignInFailures(key);
      },
      abandon: async () => {},
    };
  }

  /** Forgets the failures counted under `key` (a success of that very caller). */
  clear(key: string): Promise<void> {
    return this.#store.clearSignInFailures(key);
  }

  async #giveBack(held: ReadonlyArray<{ key: string; windowStartedAt: number }>): Promise<void> {
    for (const { key, windowStartedAt } of held) await this.#store.releaseAttempt(key, windowStartedAt);
  }
}
