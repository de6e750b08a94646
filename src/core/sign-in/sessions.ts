/**
 * Sign-in sessions: what the session cookie stands for. The cookie holds a 256-bit secret, the
 * store its hash (like a token). A session belongs to one user of one organization; it ends at
 * sign-out, after {@link SESSION_SECONDS}, or as soon as its user is disabled, and ending it
 * revokes the tokens issued through it.
 */
import type { Authenticator } from '../authenticator.js';
import type { Clock } from '../clock.js';
import type { Organization, SignInSession, User } from '../models.js';
import { hashToken, newToken } from '../secrets.js';
import type { DirectoryPort } from '../ports/directory-port.js';
import type { SignInPort } from '../ports/sign-in-port.js';

/** A working day: a person signs in again the next morning. */
export const SESSION_SECONDS = 8 * 3600;

export interface LiveSession {
  secret: string;
  session: SignInSession;
  user: User;
  organization: Organization;
}

export class Sessions {
  readonly #store: SignInPort & DirectoryPort;
  readonly #clock: Clock;
  readonly #authenticator: Authenticator;

  constructor(store: SignInPort & DirectoryPort, clock: Clock, authenticator: Authenticator) {
    this.#store = store;
    this.#clock = clock;
    this.#authenticator = authenticator;
  }

  async start(user: User): Promise<LiveSession> {
    const now = this.#clock.now();
    const secret = newToken();
    const session: SignInSession = {
      hash: hashToken(secret),
      userId: user.id,
      organizationId: user.organizationId,
      createdAt: now,
      expiresAt: now + SESSION_SECONDS * 1000,
      revokedAt: null,
    };
    await this.#store.insertSession(session);
    const organization = await this.#store.findOrganization(user.organizationId);
    if (!organization) throw new Error(`user ${user.id} has no organization`);
    return { secret, session, user, organization };
  }

  /**
   * The live session a cookie secret names, or null. Reads the store, not a cache: a user
   * disabled a moment ago has no session.
   */
  async resolve(secret: string | undefined): Promise<LiveSession | null> {
    if (!secret || secret.length > 128) return null;
    const session = await this.#store.findSession(hashToken(secret));
    if (!session || session.revokedAt !== null || this.#clock.now() >= session.expiresAt) return null;
    const [user, organization] = await Promise.all([this.#store.findUser(session.userId), this.#store.findOrganization(session.organizationId)]);
    if (!user || user.state !== 'active' || !organization) return null;
    return { secret, session, user, organization };
  }

  /** Ends a session and the tokens issued through it, here and in the store. */
  async end(sessionHash: string): Promise<void> {
    const families = await this.#store.endSession(sessionHash, this.#clock.now());
    for (const familyId of families) await this.#authenticator.revokeFamily(familyId, 'sign_out');
  }

  /** Ends every session and every token of a user ("sign out everywhere"). */
  async endAll(userId: string): Promise<void> {
    await this.#store.endUserSessions(userId, this.#clock.now());
    await this.#authenticator.revokeUserTokens(userId, 'sign_out_all');
  }
}
