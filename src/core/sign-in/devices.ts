/**
 * Device cookies (OWASP's "device cookies" for login throttling; CONTRACT.md, "Sign-in and
 * client-authentication throttling"): a browser that signed in to an account gets a random
 * cookie, kept in the store only as its SHA-256. Presented again with that account's email, it
 * lets the browser be counted by the cookie instead of by its address, so that guesses from the
 * same network (an office behind one address) cannot shut it out.
 */
import type { Clock } from '../clock.js';
import type { User } from '../models.js';
import type { DirectoryPort } from '../ports/directory-port.js';
import type { SignInPort } from '../ports/sign-in-port.js';
import { hashToken, newToken } from '../secrets.js';

export const DEVICE_SECONDS = 365 * 24 * 3600;

/** Who signed in last in a browser, as its device cookie tells. */
export interface RememberedPerson {
  email: string;
  organizationId: string;
  organizationName: string;
}

export class Devices {
  readonly #store: SignInPort & DirectoryPort;
  readonly #clock: Clock;

  constructor(store: SignInPort & DirectoryPort, clock: Clock) {
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

  /**
   * The active person whose device `secret` names, or null: the sign-in page offers their email
   * (with "Not you?"). The cookie is HttpOnly and set only on a successful sign-in in this very
   * browser, so it shows the person nothing they did not type here.
   */
  async rememberedPerson(secret: string | undefined): Promise<RememberedPerson | null> {
    if (secret === undefined) return null;
    const device = await this.#store.findDevice(hashToken(secret));
    if (device === null || device.expiresAt <= this.#clock.now()) return null;
    const user = await this.#store.findUser(device.userId);
    if (user === null || user.state !== 'active') return null;
    const organization = await this.#store.findOrganization(user.organizationId);
    return organization === null ? null : { email: user.email, organizationId: organization.id, organizationName: organization.name };
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
