/**
 * Sign-in throttling (CONTRACT.md, "Sign-in and client-authentication throttling"), shared by
 * the sign-in page and the password grant. Designed as OWASP's Authentication Cheat Sheet
 * describes, so that nobody can lock a person out from elsewhere:
 * - at most 5 failed guesses per account per address, 20 per address across accounts, and 50
 *   per account from all addresses together, within a 15-minute window;
 * - the right password from an address without recent failures gets in while the account is
 *   below its cap of 50;
 * - a browser holding a device cookie of the account (devices.ts) is counted by that cookie
 *   alone (5 per device), instead of by its address and by the account's cap of 50, so that
 *   guesses from its network, or from anywhere, cannot shut a person out of their own browser.
 * Attempts are reserved before the password hash (throttle/attempts.ts).
 */
import type { Clock } from '../clock.js';
import { SignInRefusedError } from '../errors.js';
import { AttemptThrottle, type Limit, THROTTLE_WINDOW_MS, throttleKey } from '../throttle/attempts.js';
import { callerAddress } from '../throttle/caller-address.js';
import type { AttemptsPort } from '../ports/attempts-port.js';
import { normalForm } from '../normal-form.js';

export interface ThrottleLimits {
  windowMs: number;
  /** Failures per account per address (or per device cookie). */
  perAccountPerAddress: number;
  /** Failures per address across accounts (many accounts tried from one place). */
  perAddress: number;
  /** Failures per account from all addresses together. */
  perAccount: number;
}

export const DEFAULT_THROTTLE: ThrottleLimits = { windowMs: THROTTLE_WINDOW_MS, perAccountPerAddress: 5, perAddress: 20, perAccount: 50 };

/** Who is trying: the account named, the address the attempt came from and, from a browser, its device cookie. */
export interface SignInAttempt {
  organizationId: string;
  email: string;
  address: string | undefined;
  /** The raw device cookie the browser sent, if any (it counts only if it belongs to this account). */
  deviceSecret?: string | undefined;
}

/** A reserved attempt: a success gives it back, a failure keeps it. */
export interface SignInReservation {
  succeeded(): Promise<void>;
  /** The attempt got no verdict (the hash queue was full): it counts as nothing. */
  abandon(): Promise<void>;
}

export class SignInThrottle {
  readonly #attempts: AttemptThrottle;
  readonly #limits: ThrottleLimits;

  constructor(store: AttemptsPort, clock: Clock, limits: ThrottleLimits = DEFAULT_THROTTLE) {
    this.#attempts = new AttemptThrottle(store, clock, limits.windowMs);
    this.#limits = limits;
  }

  /**
   * Reserves the attempt under each of its limits, or throws a throttled
   * {@link SignInRefusedError} (a right password included) while one is at its cap.
   * `deviceHash` is the hash of a device cookie known to belong to this account, or null.
   */
  async reserve(attempt: SignInAttempt, deviceHash: string | null): Promise<SignInReservation> {
    // The account as the store finds it: one key however the email is spelt.
    const account = [attempt.organizationId, normalForm(attempt.email.trim())];
    const address = callerAddress(attempt.address);
    // Own: the count a success of this very caller clears (its address's, or its device's).
    const own: Limit =
      deviceHash === null
        ? { key: throttleKey('sign-in-account-address', ...account, address), limit: this.#limits.perAccountPerAddress }
        : { key: throttleKey('sign-in-account-device', ...account, deviceHash), limit: this.#limits.perAccountPerAddress };
    // A known browser holds a secret an attacker elsewhere does not: its own count is enough.
    const limits: Limit[] =
      deviceHash === null
        ? [
            { key: throttleKey('sign-in-address', address), limit: this.#limits.perAddress },
            { key: throttleKey('sign-in-account', ...account), limit: this.#limits.perAccount },
            own,
          ]
        : [own];
    const reservation = await this.#attempts.reserve(limits);
    if (!reservation.reserved) throw new SignInRefusedError(reservation.retryAfterSeconds);
    return { succeeded: () => reservation.succeeded([own.key]), abandon: () => reservation.abandon() };
  }
}
