/**
 * The one check of a person's email and password, shared by the sign-in page and the password
 * grant, behind the throttle. One answer for an unknown email, a wrong password, a user with no
 * password and a disabled account, and one cost (a slow hash through the bounded queue), so
 * nothing can be probed.
 */
import { BoundedMap } from '../bounded-map.js';
import { CoreCounts } from '../counts.js';
import { SignInRefusedError, SlowHashBusyError } from '../errors.js';
import type { User } from '../models.js';
import { fastDigest, verifySecret } from '../secrets.js';
import { callerAddress } from '../throttle/caller-address.js';
import type { SlowHashQueue } from '../throttle/slow-hash-queue.js';
import type { DirectoryPort } from '../ports/directory-port.js';
import type { Devices } from './devices.js';
import type { SignInAttempt, SignInReservation, SignInThrottle } from './throttle.js';

// Verified when there is no user, so an unknown email costs the same scrypt as a wrong password.
export const DECOY_HASH = 'scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';

/** Most checks under way at once (the slow-hash queue turns away far fewer). */
const IN_FLIGHT_CHECKS = 10_000;

export class CredentialChecker {
  readonly #store: DirectoryPort;
  readonly #throttle: SignInThrottle;
  readonly #devices: Devices;
  readonly #slowHashes: SlowHashQueue;
  readonly #counts: CoreCounts;
  /** Checks under way, by who asks from where with which password (its SHA-256). */
  readonly #inFlight = new BoundedMap<string, Promise<User>>(IN_FLIGHT_CHECKS);

  constructor(store: DirectoryPort, throttle: SignInThrottle, devices: Devices, slowHashes: SlowHashQueue, counts: CoreCounts = new CoreCounts()) {
    this.#store = store;
    this.#throttle = throttle;
    this.#devices = devices;
    this.#slowHashes = slowHashes;
    this.#counts = counts;
  }

  /**
   * The active user with this email and password in the organization, or a
   * {@link SignInRefusedError} (throttled: with `retryAfterSeconds`); a full hash queue throws
   * `SlowHashBusyError` and counts the attempt as nothing.
   */
  async verify(attempt: SignInAttempt, password: string): Promise<User> {
    try {
      const user = await this.#shared(attempt, password);
      this.#counts.signIns.add('succeeded');
      return user;
    } catch (error) {
      if (error instanceof SignInRefusedError) {
        const throttled = error.retryAfterSeconds !== null;
        this.#counts.signIns.add(throttled ? 'throttled' : 'failed');
        if (throttled) this.#counts.throttleRefusals.add('sign_in');
      } else if (error instanceof SlowHashBusyError) this.#counts.signIns.add('busy');
      throw error;
    }
  }

  /**
   * The same account, address, device cookie and password already being checked (a script's
   * parallel sign-ins): one reservation and one slow hash answer them all, so a right password
   * sent in parallel is not refused by its own attempts. A wrong one counts once, as it would
   * sent once; never shared across addresses or devices, whose caps differ.
   */
  #shared(attempt: SignInAttempt, password: string): Promise<User> {
    const flight = [
      attempt.organizationId,
      attempt.email,
      callerAddress(attempt.address),
      attempt.deviceSecret ?? '',
      fastDigest(password).toString('base64'),
    ].join('\u0000');
    const pending = this.#inFlight.get(flight);
    if (pending) return pending;
    const checking = this.#verify(attempt, password);
    this.#inFlight.set(flight, checking);
    const done = () => this.#inFlight.get(flight) === checking && this.#inFlight.delete(flight);
    checking.then(done, done);
    return checking;
  }

  async #verify(attempt: SignInAttempt, password: string): Promise<User> {
    const user = await this.#store.findUserByEmail(attempt.organizationId, attempt.email.trim());
    const device = await this.#devices.recognise(attempt.deviceSecret, user);
    // A place in the hash queue first: a request turned away there has counted nothing. A browser
    // known to this account may take a place kept for known callers.
    const place = this.#slowHashes.enter(device !== null);
    let reservation: SignInReservation;
    try {
      reservation = await this.#throttle.reserve(attempt, device);
    } catch (error) {
      place.leave();
      throw error;
    }
    let valid: boolean;
    try {
      valid = await place.run(() => verifySecret(password, user?.passwordHash ?? DECOY_HASH));
    } catch (error) {
      await reservation.abandon();
      throw error;
    }
    // A failure keeps its reservation: it is counted.
    if (!user || !user.passwordHash || !valid || user.state !== 'active') throw new SignInRefusedError();
    await reservation.succeeded();
    return user;
  }
}
