/**
 * Tokens as core stores them: issued, found by hash, touched, rotated, revoked. Implemented by
 * `src/store` (concurrency rules: store.ts).
 */
import type { TokenRecord } from '../models.js';

export interface TokensPort {
  /**
   * Stores a new token, only while its client and its user (if it has one) are active, read
   * atomically with the write: true if stored. False (nothing stored) when either was disabled,
   * deleted or never existed, however the write interleaves with that disable on any node: a
   * disable revokes what it finds, and what it cannot find yet must not be written after it
   * (CONTRACT.md, "Control plane").
   */
  insertToken(token: TokenRecord): Promise<boolean>;
  findTokenByHash(hash: string): Promise<TokenRecord | null>;
  /** Moves `lastUsedAt` forward for each live token named (never backward, never on a revoked one). */
  touchTokens(touches: ReadonlyArray<{ hash: string; lastUsedAt: number }>): Promise<void>;
  /** Revokes one token; true if it was live until now. */
  revokeToken(hash: string, at: number): Promise<boolean>;
  /** Revokes every live access and refresh token of a user; returns how many. */
  revokeUserTokens(userId: string, at: number): Promise<number>;
  /** Revokes every live token of a family (one sign-in, across refresh rotations). */
  revokeFamily(familyId: string, at: number): Promise<number>;
  /** Deletes tokens that expired before `before`; returns how many. */
  deleteExpired(before: number): Promise<number>;

  /** A user's live tokens (access and refresh, not revoked, expiring after `now`), newest first. */
  listUserTokens(userId: string, now: number): Promise<TokenRecord[]>;
  /** A client's live tokens (as listUserTokens), newest first; a scan of the tokens, for the command line. */
  listClientTokens(clientId: string, now: number): Promise<TokenRecord[]>;
  /**
   * Refresh rotation, atomically: retires (revokes) the live, unexpired refresh token `hash`
   * and inserts `replacements` in the same transaction. Returns true for the one caller that
   * retired it; every other caller, racing or late, on any node, gets false and nothing of
   * theirs is inserted. `replacements[0]` must be the new access token (its hash names the
   * winner).
   * Because the replacements commit with the consumption, a loser that then revokes the family
   * (reuse detection) also reaches the winner's new tokens. False too, with nothing inserted,
   * when the client or user of the replacements is no longer active (as {@link insertToken}).
   */
  rotateRefreshToken(hash: string, now: number, replacements: readonly TokenRecord[]): Promise<boolean>;
}
