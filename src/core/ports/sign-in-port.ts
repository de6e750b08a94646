/**
 * Browser sign-in as core stores it: authorization codes, sessions, remembered devices, and the
 * throttle windows (attempts-port.ts). Implemented by `src/store`. The race that matters here
 * is the single-use code ({@link SignInPort.consumeCode}): of N callers racing on one code, on
 * any number of nodes, exactly one wins.
 */
import type { AuthorizationCode, SignInDevice, SignInSession, TokenRecord } from '../models.js';
import type { AttemptsPort } from './attempts-port.js';

export interface SignInPort extends AttemptsPort {
  insertCode(code: AuthorizationCode): Promise<void>;
  findCode(hash: string): Promise<AuthorizationCode | null>;
  /**
   * Redeems a code, atomically: marks it consumed (recording `familyId`), inserts `tokens` and
   * links the family to the code's sign-in session, all in one transaction. Exactly one of N
   * racing callers gets true; the others get false and insert nothing. With no tokens it only
   * burns the code (a failed redemption still uses it up). When the tokens' client or user is no
   * longer active (TokensPort.insertToken), the winner too gets false: the code is used up and
   * nothing is inserted.
   */
  consumeCode(hash: string, now: number, familyId: string | null, tokens: readonly TokenRecord[]): Promise<boolean>;
  /** Revokes every live token issued from a code (and rotated from those); returns how many. */
  revokeCodeTokens(codeHash: string, at: number): Promise<number>;

  insertSession(session: SignInSession): Promise<void>;
  findSession(hash: string): Promise<SignInSession | null>;
  /** Records that a token family was issued through a session, so ending the session ends it. Idempotent. */
  linkSessionFamily(sessionHash: string, familyId: string): Promise<void>;
  /** The token families issued through a session (the account page marks them "this browser"). */
  listSessionFamilies(sessionHash: string): Promise<string[]>;
  /**
   * Ends a session and, in the same transaction, revokes the live tokens of every family linked
   * to it. Returns the linked family ids (so callers can drop cached tokens). Idempotent.
   */
  endSession(hash: string, at: number): Promise<string[]>;
  /** Ends every live session of a user; returns how many. Tokens are revoked separately. */
  endUserSessions(userId: string, at: number): Promise<number>;

  insertDevice(device: SignInDevice): Promise<void>;
  findDevice(hash: string): Promise<SignInDevice | null>;
  /** Deletes codes, rotations, sessions, devices and throttle windows that ended before `before`. */
  deleteExpiredSignIns(before: number): Promise<void>;
}
