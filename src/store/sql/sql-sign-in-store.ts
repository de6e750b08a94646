/**
 * The sign-in port over SQL (core/ports/sign-in-port.ts): codes, sessions, devices, throttle
 * windows and remembered client addresses. Each race is one batch: a claim, then writes
 * conditional on that claim; reading the claim back afterwards tells this caller whether it won.
 */
import type { AuthorizationCode, SignInDevice, SignInFailures, SignInSession, TokenRecord } from '../../core/models.js';
import type { SignInPort } from '../../core/ports/sign-in-port.js';
import { codeParams, issuerParams, sessionParams, toCode, toDevice, toSession, toSignInFailures, tokenParams } from './mappers.js';
import type { Statement } from './sql-driver.js';
import { SqlTokenStore } from './sql-token-store.js';
import { SQL } from './statements.js';

export abstract class SqlSignInStore extends SqlTokenStore implements SignInPort {
  async insertCode(code: AuthorizationCode): Promise<void> {
    await this.driver.run(SQL.insertCode, codeParams(code), 'process-crash');
  }
  async findCode(hash: string): Promise<AuthorizationCode | null> {
    const row = await this.driver.get(SQL.findCodeByHash, [hash]);
    return row ? toCode(row) : null;
  }
  // A redemption whose client or user is no longer active still uses the code up: it issues
  // nothing, and nothing can be issued from that code after an enable.
  async consumeCode(hash: string, now: number, familyId: string | null, tokens: readonly TokenRecord[]): Promise<boolean> {
    const first = tokens[0];
    if (familyId === null || first === undefined) return (await this.driver.run(SQL.consumeCode, [now, null, hash], 'process-crash')) === 1;
    const claimed = [hash, familyId];
    const locks = this.issuanceLocks(first);
    const changed = await this.driver.batch(
      [
        ...locks,
        [SQL.consumeCode, [now, familyId, hash]],
        ...tokens.map((token): Statement => [SQL.insertTokenIfCodeRedeemed, [...tokenParams(token), ...claimed, ...issuerParams(token)]]),
        [SQL.linkCodeSession, claimed],
      ],
      'process-crash',
    );
    // Family ids are fresh UUIDs: a token is written only where the code carries ours, that is
    // where this caller's claim won (and the client and user were active).
    return (changed[locks.length + 1] ?? 0) > 0;
  }
  async revokeCodeTokens(codeHash: string, at: number): Promise<number> {
    return this.driver.run(SQL.revokeCodeTokens, [at, codeHash]);
  }

  async insertSession(session: SignInSession): Promise<void> {
    await this.driver.run(SQL.insertSession, sessionParams(session), 'process-crash');
  }
  async findSession(hash: string): Promise<SignInSession | null> {
    const row = await this.driver.get(SQL.findSessionByHash, [hash]);
    return row ? toSession(row) : null;
  }
  async linkSessionFamily(sessionHash: string, familyId: string): Promise<void> {
    await this.driver.run(SQL.linkSessionFamily, [sessionHash, familyId], 'process-crash');
  }
  async listSessionFamilies(sessionHash: string): Promise<string[]> {
    return (await this.driver.all(SQL.listSessionFamilies, [sessionHash])).map((row) => String(row.family_id));
  }
  async endSession(hash: string, at: number): Promise<string[]> {
    await this.driver.batch([
      [SQL.revokeSession, [at, hash]],
      [SQL.revokeSessionTokens, [at, hash]],
    ]);
    return (await this.driver.all(SQL.listSessionFamilies, [hash])).map((row) => String(row.family_id));
  }
  async endUserSessions(userId: string, at: number): Promise<number> {
    return this.driver.run(SQL.revokeUserSessions, [at, userId]);
  }

  async reserveAttempt(key: string, now: number, windowMs: number, limit: number): Promise<SignInFailures | null> {
    const windowOver = now - windowMs;
    const row = await this.driver.get(SQL.reserveAttempt, [key, now, windowOver, windowOver, windowOver, limit]);
    return row ? toSignInFailures(row) : null;
  }
  async releaseAttempt(key: string, windowStartedAt: number): Promise<void> {
    await this.driver.run(SQL.releaseAttempt, [key, windowStartedAt], 'process-crash');
  }
  async insertDevice(device: SignInDevice): Promise<void> {
    await this.driver.run(SQL.insertDevice, [device.hash, device.userId, device.createdAt, device.expiresAt], 'process-crash');
  }
  async findDevice(hash: string): Promise<SignInDevice | null> {
    const row = await this.driver.get(SQL.findDeviceByHash, [hash]);
    return row ? toDevice(row) : null;
  }
  async findSignInFailures(key: string): Promise<SignInFailures | null> {
    const row = await this.driver.get(SQL.findSignInFailures, [key]);
    return row ? toSignInFailures(row) : null;
  }
  async clearSignInFailures(key: string): Promise<void> {
    await this.driver.run(SQL.clearSignInFailures, [key], 'process-crash');
  }
  async findClientAddress(clientId: string, address: string): Promise<number | null> {
    const row = await this.driver.get(SQL.findClientAddress, [clientId, address]);
    return row ? Number(row.last_success_ms) : null;
  }
  async rememberClientAddress(clientId: string, address: string, at: number, granularityMs: number): Promise<void> {
    await this.driver.run(SQL.rememberClientAddress, [clientId, address, at, granularityMs], 'process-crash');
  }
  async deleteOldClientAddresses(before: number): Promise<void> {
    await this.driver.run(SQL.deleteOldClientAddresses, [before], 'process-crash');
  }
  async deleteExpiredSignIns(before: number): Promise<void> {
    await this.driver.batch(
      [
        [SQL.deleteExpiredCodes, [before]],
        [SQL.deleteOldRotations, [before]],
        [SQL.deleteExpiredSessionFamilies, [before]],
        [SQL.deleteExpiredSessions, [before]],
        [SQL.deleteOldSignInFailures, [before]],
        [SQL.deleteExpiredDevices, [before]],
      ],
      'process-crash',
    );
  }
}
