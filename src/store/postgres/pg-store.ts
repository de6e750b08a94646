/**
 * The PostgreSQL backend, for several tokend nodes on one database: the shared {@link SqlStore}
 * over a pooled driver, migrations under an advisory lock, and a LISTEN connection whose
 * notifications drive {@link PgStore.changeVersion} and per-token revocation (change-listener.ts).
 *
 * @example
 * const store = new PgStore('postgres://tokend@db.internal/tokend', pgSettingsFromEnvironment(process.env));
 * await store.migrate();
 */
import type { TokenRecord } from '../../core/models.js';
import type { DirectoryChange } from '../../core/ports/changes-port.js';
import { GroupCommit } from '../sql/group-commit.js';
import { tokenParams } from '../sql/mappers.js';
import type { Statement } from '../sql/sql-driver.js';
import { SqlStore } from '../sql/sql-store.js';
import { PROBE_WRITE } from '../sql/migrations.js';
import { ChangeListener } from './change-listener.js';
import { FAILURES_CHANNEL } from './notify-triggers.js';
import { connectionConfig, PgDriver } from './pg-driver.js';
import { columnsOf, INSERT_TOKENS_IF_ACTIVE, issuanceLocks } from './pg-issuance.js';
import { migrateDatabase } from './pg-migrate.js';
import { PG_DEFAULTS, type PgSettings } from './pg-settings.js';
import { PgClockMoves } from './pg-test-clock.js';
import type { ConnectionState } from '../../core/ports/readiness-port.js';

export class PgStore extends SqlStore {
  /** Other nodes may serve the same tokens: idle deadlines wait for their last-use flushes. */
  readonly sharedByNodes = true;
  readonly #pg: PgDriver;
  readonly #listener: ChangeListener;
  readonly #config: ReturnType<typeof connectionConfig>;
  #listening: Promise<void> | null = null;
  readonly #inserts: GroupCommit;
  readonly #clockMoves: PgClockMoves;

  constructor(url: string, settings: PgSettings = PG_DEFAULTS) {
    const driver = new PgDriver(url, settings);
    super(driver);
    this.#pg = driver;
    this.#config = connectionConfig(url, settings, 'tokend');
    this.#listener = new ChangeListener({ ...this.#config, application_name: 'tokend-listen' }, settings.heartbeatMs);
    this.#clockMoves = new PgClockMoves(driver);
    this.#listener.onClockMoved((payload) => this.#clockMoves.heard(payload));
    const insertMany = async (statements: readonly Statement[]): Promise<boolean[]> => {
      const written = new Set((await driver.all(INSERT_TOKENS_IF_ACTIVE, columnsOf(statements))).map((row) => row.hash));
      return statements.map(([, params]) => written.has(params[0]));
    };
    this.#inserts = new GroupCommit(insertMany, async (statement) => (await insertMany([statement]))[0] === true, {
      maxBatch: INSERTS_PER_STATEMENT,
      maxInFlight: 1,
    });
  }

  /**
   * Committed with the other inserts of this event-loop turn, in one statement (group-commit.ts):
   * one round trip and one WAL flush for many issuances, where one insert per statement made
   * issuance on PostgreSQL a fraction of the baseline. One commit is under way at a time, with
   * what arrived during the previous one: larger batches cost PostgreSQL and tokend less CPU per
   * issuance than a commit per event-loop turn (figures in docs/performance.md). Written only
   * while the token's client and user are active, holding their rows (pg-issuance.ts).
   */
  override insertToken(token: TokenRecord): Promise<boolean> {
    return this.#inserts.run([INSERT_TOKENS_IF_ACTIVE, tokenParams(token)]);
  }

  protected override issuanceLocks(token: TokenRecord): Statement[] {
    return issuanceLocks(token);
  }

  async migrate(): Promise<void> {
    await migrateDatabase(this.#config);
    this.#listening ??= this.#listener.start();
    await this.#listening;
  }

  async ping(): Promise<void> {
    await this.driver.get('SELECT 1 AS ok', []);
  }

  async probeWrite(): Promise<void> {
    await this.driver.run(PROBE_WRITE, []);
  }

  async close(): Promise<void> {
    await this.#inserts.flush();
    await this.#listener.close();
    await this.#pg.close();
  }

  /**
   * Moves on every change notified by any node; while notifications cannot be trusted (the
   * LISTEN connection is down or late) it moves on every call, so no cache is trusted.
   */
  changeVersion(): number {
    return this.#listener.version();
  }

  /** Calls `listener` with the hash of each token revoked anywhere, as the revocation commits. */
  watchRevocations(listener: (hash: string) => void): void {
    this.#listener.onTokenRevoked(listener);
  }

  /** Calls `listener` with each organization, client, user or role changed anywhere, as the change commits. */
  watchDirectory(listener: (change: DirectoryChange) => void): void {
    this.#listener.onDirectoryChanged(listener);
  }

  /** Calls `listener` with the throttle keys any node announced as holding a new failure. */
  watchFailures(listener: (keys: readonly string[]) => void): void {
    this.#listener.onFailures(listener);
  }

  /** One notification to every node (this one included), sent at once: no transaction holds it back. */
  async announceFailures(keys: readonly string[]): Promise<void> {
    await this.driver.get('SELECT pg_notify(?, ?) IS NULL AS sent', [FAILURES_CHANNEL, keys.join(' ')]);
  }

  /** Stores the test clock's offset and tells every node (this one included) in one statement. */
  override writeClockOffset(offsetMs: number): Promise<void> {
    return this.#clockMoves.write(offsetMs);
  }

  override addClockOffset(deltaMs: number): Promise<number> {
    return this.#clockMoves.add(deltaMs);
  }

  /** Calls `listener` with each test clock offset any node stored, in the order they were stored. */
  watchClockOffset(listener: (offsetMs: number) => void): void {
    this.#clockMoves.watch(listener);
  }

  /** Calls `listener` when the LISTEN connection is lost (false) and when it is back (true). */
  watchNotifications(listener: (connected: boolean) => void): void {
    this.#listener.onConnectionChanged(listener);
  }

  connectionState(): ConnectionState {
    const { pool } = this.#pg;
    return {
      poolTotal: pool.totalCount,
      poolIdle: pool.idleCount,
      poolWaiting: pool.waitingCount,
      notificationsConnected: this.#listener.trusted,
      notificationReconnects: this.#listener.reconnects,
    };
  }

  /** True while this node hears every change (for readiness and tests). */
  get notificationsTrusted(): boolean {
    return this.#listener.trusted;
  }
}

/** Rows per multi-row insert: a bounded statement, however many issuances arrive at once. */
const INSERTS_PER_STATEMENT = 500;
