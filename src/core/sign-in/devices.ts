/**
 * Device cookies (OWASP's "device cookies" for login throttling; CONTRACT.md, "Sign-in and
 * client-authentication throttling"): a browser that signed in to an account gets a random
 * cookie, kept in the store only as its SHA-256. Presented again with that account's email, it
 * lets the browser be counted by the cookie instead of by its address, so that guesses from the
 * same network (an office behind one address) cannot shut it out.
 */
import type { Clock } from '../clock.js';
import type { User } from '../models.js';
import { hashToken, newToken } from '../secrets.js';
import type { SignInPort } from '../ports/sign-in-port.js';

export const DEVICE_SECONDS = 365 * 24 * 3600;

export class Devices {
  readonly #store: SignInPort;
  readonly #clock: Clock;

  constructor(store: SignInPort, clock: Clock) {
    this.#store = store;
    this.#clock = clock;
  }

  /** The hash of `secret` when it names a live device of `user`; null for anything else. */
  async recognise(secret: string | undefined, user: User | null): Promise<string | null> {
    if (secret === undefined || user === null) return null;
    const hash = hashToken(secret);
    const device = await this.#store.findDevice(hash);
    return device !== null && device.userId === user.id && device.expiresAt > this.#clock.now() ? hash : null;
  }

  /** After a sign-in: null when the browser's cookie already names a device of `user`, else a new cookie value. */
  async remember(secret: string | undefined, user: User): Promise<string | null> {
    if ((await this.recognise(secret, user)) !== null) return null;
    const fresh = newToken();
    const now = this.#clock.now();
    await this.#store.insertDevice({ hash: hashToken(fresh), userId: user.id, createdAt: now, expiresAt: now + DEVICE_SECONDS * 1000 });
    return fresh;
  }
}
