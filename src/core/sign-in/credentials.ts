/**
 * The one check of a person's email and password, shared by the sign-in page and the password
 * grant, behind the throttle. One answer for an unknown email, a wrong password, a user with no
 * password and a disabled account, so nothing can be probed.
 */
import { SignInRefusedError } from '../errors.js';
import type { User } from '../models.js';
import { verifySecret } from '../secrets.js';
import type { Store } from '../../store/store.js';
import type { SignInAttempt, SignInThrottle } from './throttle.js';

// Verified when there is no user, so an unknown email costs the same scrypt as a wrong password.
const DECOY_HASH = 'scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';

export class CredentialChecker {
  readonly #store: Store;
  readonly #throttle: SignInThrottle;

  constructor(store: Store, throttle: SignInThrottle) {
    this.#store = store;
    this.#throttle = throttle;
  }

  /** The active user with this email and password in the organization, or a {@link SignInRefusedError}. */
  async verify(attempt: SignInAttempt, password: string): Promise<User> {
    const { accountHasFailures } = await this.#throttle.check(attempt);
    const user = await this.#store.findUserByEmail(attempt.organizationId, attempt.email.trim());
    const valid = await verifySecret(password, user?.passwordHash ?? DECOY_HASH);
    if (!user || !user.passwordHash || !valid || user.state !== 'active') {
      await this.#throttle.failed(attempt);
      throw new SignInRefusedError();
    }
    if (accountHasFailures) await this.#throttle.succeeded(attempt);
    return user;
  }
}
