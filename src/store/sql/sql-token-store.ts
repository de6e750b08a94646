/**
 * The tokens port over SQL (core/ports/tokens-port.ts): issuance, lookup, last use, revocation
 * and refresh rotation. Inserts and last use need survive only a crash of the process
 * (sql-driver.ts, `Survives`); revocations a power loss.
 */
import type { TokenRecord } from '../../core/models.js';
import type { TokensPort } from '../../core/ports/tokens-port.js';
import { issuerParams, toToken, tokenParams } from './mappers.js';
import { SqlAdminStore } from './sql-admin-store.js';
import type { Statement } from './sql-driver.js';
import { SQL } from './statements.js';

export abstract class SqlTokenStore extends SqlAdminStore implements TokensPort {
  /** Written only while the token's client and user are active (statements.ts, `ISSUER_ACTIVE`). */
  async insertToken(token: TokenRecord): Promise<boolean> {
    return (await this.driver.run(SQL.insertTokenIfActive, [...tokenParams(token), ...issuerParams(token)], 'process-crash')) > 0;
  }

  /**
   * What a batch that issues `token` runs first, so that the client and user it depends on cannot
   * change before the batch commits: nothing where transactions do not interleave (SQLite has
   * one writer); row locks where they do (PostgreSQL overrides it: pg-issuance.ts).
   */
  protected issuanceLocks(_token: TokenRecord): Statement[] {
    return [];
  }
  async findTokenByHash(hash: string): Promise<TokenRecord | null> {
    const row = await this.driver.get(SQL.findTokenByHash, [hash]);
    return row ? toToken(row) : null;
  }
  async touchTokens(touches: ReadonlyArray<{ hash: string; lastUsedAt: number }>): Promise<void> {
    if (touches.length === 0) return;
    // Sorted by hash so that two nodes flushing overlapping batches lock rows in one order (no deadlock).
    const sorted = [...touches].sort((a, b) => (a.hash < b.hash ? -1 : a.hash > b.hash ? 1 : 0));
    await this.driver.batch(
      sorted.map(({ hash, lastUsedAt }): Statement => [SQL.touchToken, [lastUsedAt, hash, lastUsedAt]]),
      'process-crash',
    );
  }
  async revokeToken(hash: string, at: number): Promise<boolean> {
    return (await this.driver.run(SQL.revokeToken, [at, hash])) > 0;
  }
  async revokeUserTokens(userId: string, at: number): Promise<number> {
    return this.driver.run(SQL.revokeUserTokens, [at, userId]);
  }
  async revokeFamily(familyId: string, at: number): Promise<number> {
    return this.driver.run(SQL.revokeFamily, [at, familyId]);
  }
  async deleteExpired(before: number): Promise<number> {
    return this.driver.run(SQL.deleteExpired, [before], 'process-crash');
  }

  async listUserTokens(userId: string, now: number): Promise<TokenRecord[]> {
    return (await this.driver.all(SQL.listUserTokens, [userId, now])).map(toToken);
  }
  async listClientTokens(clientId: string, now: number): Promise<TokenRecord[]> {
    return (await this.driver.all(SQL.listClientTokens, [clientId, now])).map(toToken);
  }

  // Refresh rotation is one race in one batch: a claim, then writes conditional on that claim,
  // the new tokens also on their client and user being active. The new access token is written
  // only if this caller's claim won, so its count tells whether this caller rotated.
  async rotateRefreshToken(hash: string, now: number, replacements: readonly TokenRecord[]): Promise<boolean> {
    const successor = replacements[0];
    if (successor === undefined) throw new Error('rotateRefreshToken needs the new tokens');
    const claimed = [hash, successor.hash];
    const locks = this.issuanceLocks(successor);
    const changed = await this.driver.batch(
      [
        ...locks,
        [SQL.claimRotation, [successor.hash, now, hash, now]],
        [SQL.revokeRotated, [now, hash, ...claimed]],
        ...replacements.map((token): Statement => [SQL.insertTokenIfRotated, [...tokenParams(token), ...claimed, ...issuerParams(token)]]),
      ],
      'process-crash',
    );
    return (changed[locks.length + 2] ?? 0) > 0;
  }
}
