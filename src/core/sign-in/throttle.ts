/**
 * Failed sign-ins are throttled per account and per address (OWASP Authentication Cheat Sheet,
 * "Login Throttling"): past the limit within a window, every attempt under that key is refused,
 * a right password included, until the window ends. Counts live in the store, so every node
 * and every surface (sign-in page, password grant) shares them.
 */
import type { Clock } from '../clock.js';
import { SignInRefusedError } from '../errors.js';
import type { Store } from '../../store/store.js';

export interface ThrottleLimits {
  windowMs: number;
  /** Failures per account (organization + email) within a window. */
  perAccount: number;
  /** Failures per client address within a window (many accounts tried from one place). */
  perAddress: number;
}

export const DEFAULT_THROTTLE: ThrottleLimits = { windowMs: 15 * 60_000, perAccount: 5, perAddress: 20 };

/** Who is trying: the account named and, when known, the address the attempt came from. */
export interface SignInAttempt {
  organizationId: string;
  email: string;
  address: string | undefined;
}

export class SignInThrottle {
  readonly #store: Store;
  readonly #clock: Clock;
  readonly #limits: ThrottleLimits;

  constructor(store: Store, clock: Clock, limits: ThrottleLimits = DEFAULT_THROTTLE) {
    this.#store = store;
    this.#clock = clock;
    this.#limits = limits;
  }

  /**
   * Throws a throttled {@link SignInRefusedError} while either key is over its limit; otherwise
   * tells whether the account has failures on record (only then does a success write).
   */
  async check(attempt: SignInAttempt): Promise<{ accountHasFailures: boolean }> {
    const now = this.#clock.now();
    let retryAfterMs = 0;
    let accountHasFailures = false;
    for (const [key, limit] of this.#keys(attempt)) {
      const state = await this.#store.findSignInFailures(key);
      if (state && key === accountKey(attempt)) accountHasFailures = true;
      const endsAt = state ? state.windowStartedAt + this.#limits.windowMs : 0;
      if (state && state.failures >= limit && now < endsAt) retryAfterMs = Math.max(retryAfterMs, endsAt - now);
    }
    if (retryAfterMs > 0) throw new SignInRefusedError(Math.ceil(retryAfterMs / 1000));
    return { accountHasFailures };
  }

  async failed(attempt: SignInAttempt): Promise<void> {
    const now = this.#clock.now();
    for (const [key] of this.#keys(attempt)) await this.#store.recordSignInFailure(key, now, this.#limits.windowMs);
  }

  /** A success clears the account's count; the address keeps its own (one success must not unlock guessing elsewhere). */
  async succeeded(attempt: SignInAttempt): Promise<void> {
    await this.#store.clearSignInFailures(accountKey(attempt));
  }

  #keys(attempt: SignInAttempt): Array<[string, number]> {
    const keys: Array<[string, number]> = [[accountKey(attempt), this.#limits.perAccount]];
    if (attempt.address) keys.push([`address:${attempt.address}`, this.#limits.perAddress]);
    return keys;
  }
}

function accountKey(attempt: SignInAttempt): string {
  return `account:${attempt.organizationId}:${attempt.email.trim().toLowerCase()}`;
}
