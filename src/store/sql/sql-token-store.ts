/**
 * The tokens port over SQL (core/ports/tokens-port.ts): issuance, lookup, last use, revocation
 * and refresh rotation. Inserts and last use need survive only a crash of the process
 * (sql-driver.ts, `Survives`); revocations a power loss.
 */
import type { TokenRecord } from '../../core/models.js';
import type { TokensPort } from '../../core/ports/tokens-port.js';
import { toToken, tokenParams } from './mappers.js';
import { SqlAdminStore } from './sql-admin-store.js';
import type { Statement } from './sql-driver.js';
import { SQL } from './statements.js';

export abstract class SqlTokenStore extends SqlAdminStore implements TokensPort {
  async insertToken(token: TokenRecord): Promise<void> {
    await this.driver.run(SQL.insertToken, tokenParams(token), 'process-crash');
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

  // Refresh rotation is one race in one batch: a claim, then writes conditional on that claim;
  // reading the claim back afterwards tells this caller whether it won.
  async rotateRefreshToken(hash: string, now: number, replacements: readonly TokenRecord[]): Promise<boolean> {
    const successor = replacements[0]?.hash;
    if (successor === undefined) throw new Error('rotateRefreshToken needs the new tokens');
    const claimed = [hash, successor];
    await this.driver.batch(
      [
        [SQL.claimRotation, [successor, now, hash, now]],
        [SQL.revokeRotated, [now, hash, ...claimed]],
        ...replacements.map((token): Statement => [SQL.insertTokenIfRotated, [...tokenParams(token), ...claimed]]),
      ],
      'process-crash',
    );
    return (await this.driver.get(SQL.findRotation, [hash]))?.successor_hash === successor;
  }
}
