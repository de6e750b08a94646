/**
 * Everything the SQL backends share: each Store method written once over the shared SQL and
 * mappers, on top of a thin `SqlDriver` (sql-driver.ts). One class, written by role in
 * layers along core's ports: directory (sql-directory-store.ts), admin and seed
 * (sql-admin-store.ts), tokens (sql-token-store.ts), sign-in (sql-sign-in-store.ts), consent
 * (sql-consent-store.ts), organization (sql-organization-store.ts), usage (sql-usage-store.ts), identity providers
 * (sql-identity-provider-store.ts); each backend adds what opens, checks and closes its database.
 *
 * Atomicity without interactive transactions: a multi-statement write is a `SqlDriver.batch`
 * (one transaction, statements fixed up front, so better-sqlite3 runs it synchronously), and a
 * conditional write is one statement whose WHERE clause is the condition.
 */
import type { Store } from '../store.js';
import { SqlIdentityProviderStore } from './sql-identity-provider-store.js';
import { addClockOffset, readClockOffset, writeClockOffset } from './sql-test-clock.js';

export abstract class SqlStore extends SqlIdentityProviderStore implements Store {
  abstract migrate(): Promise<void>;
  abstract ping(): Promise<void>;
  abstract probeWrite(): Promise<void>;
  abstract close(): Promise<void>;
  abstract changeVersion(): number;

  readClockOffset(): Promise<number> {
    return readClockOffset(this.driver);
  }
  writeClockOffset(offsetMs: number): Promise<void> {
    return writeClockOffset(this.driver, offsetMs);
  }
  addClockOffset(deltaMs: number): Promise<number> {
    return addClockOffset(this.driver, deltaMs);
  }
}
