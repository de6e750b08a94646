/**
 * The embedded backend: one SQLite file through better-sqlite3, a thin synchronous driver under
 * the shared {@link SqlStore}. WAL mode lets the CLI write while a server reads;
 * `PRAGMA data_version` tells the server when another connection committed.
 */
import Database from 'better-sqlite3';
import { StoreUnavailableError } from '../../core/errors.js';
import type { TokenRecord } from '../../core/models.js';
import { issuerParams, type Row, tokenParams } from '../sql/mappers.js';
import { MIGRATIONS, PROBE_WRITE, planRewrites, RECORD_MIGRATION, SCHEMA_MIGRATIONS_TABLE, SELECT_APPLIED_MIGRATIONS } from '../sql/migrations.js';
import type { SqlDriver, Statement, Survives } from '../sql/sql-driver.js';
import { SqlStore } from '../sql/sql-store.js';
import { SQL } from '../sql/statements.js';
import { GroupCommit } from '../sql/group-commit.js';
import { Checkpointer, SAFETY_NET_FRAMES } from './checkpointer.js';
import { createPrivateFile } from './file-modes.js';
import { IN_THREAD_WAIT_MS, waitingForLock } from './busy-wait.js';
import { WalSync } from './wal-sync.js';

type Prepared = Database.Statement<unknown[], Row>;

/**
 * How long one read of `PRAGMA data_version` answers {@link SqliteStore.changeVersion}. The
 * pragma opens a read transaction (WAL index locks, system calls) and was the largest single
 * cost of a warm `GET /api/v2/tokens/me`; read at most once a millisecond, a commit by another
 * process (the CLI, another node on the file) is still seen within a millisecond.
 */
const DATA_VERSION_REUSE_MS = 1;
/**
 * The database file is read through a memory map, up to this size (SQLite's own cap in this
 * build): a page is read where the kernel already holds it, with no read system call and no
 * copy into SQLite's page cache. At a million tokens every issuance inserts into a random leaf
 * of the token-hash index, and reading those leaves was most of an insert through the page
 * cache, far less mapped (`node bench/sqlite-inserts.mjs`; docs/performance.md).
 * Writes still go through the WAL. The cost, as SQLite documents (sqlite.org/mmap.html): an I/O
 * error on the file becomes a signal that ends the process instead of an error code, so the
 * server fails closed, to be restarted by its supervisor.
 */
const MMAP_BYTES = 0x7fff0000;
/**
 * Page cache of a connection, in KiB: with the file mapped, it holds mostly pages being
 * changed, and a larger one only slowed inserts down.
 */
const PAGE_CACHE_KIB = 16 * 1024;
/** How long {@link SqliteStore.probeWrite} waits for another connection's write lock (in the thread: readiness answers within it). */
const PROBE_BUSY_TIMEOUT_MS = 200;
/**
 * Commits through any SqliteStore of this process: one through another connection forces a
 * fresh read of `data_version` at once. A connection's own commits never move its
 * `data_version` (sqlite.org/pragma.html#pragma_data_version), so they are counted apart
 * ({@link Commits}) and force nothing: in the mixed workload every issuance's commit re-read it.
 */
let commitsInProcess = 0;

/** Commits through one connection (its driver's writes and its migrations). */
class Commits {
  own = 0;

  committed(): void {
    this.own++;
    commitsInProcess++;
  }

  /** Commits through the other connections of this process so far. */
  get elsewhere(): number {
    return commitsInProcess - this.own;
  }
}

/** SQLite failures that mean "the database cannot be used now", not a bug: answer 503, fail closed. */
const UNAVAILABLE = /^SQLITE_(BUSY|LOCKED|IOERR|CANTOPEN|FULL|READONLY|PROTOCOL|NOMEM)/;

function unavailableOr(error: unknown): unknown {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && UNAVAILABLE.test(code) ? new StoreUnavailableError(error) : error;
}

/** `call()` waiting for a lock held elsewhere without blocking (busy-wait.ts), its failures turned into StoreUnavailableError where they mean it. */
function guarded<T>(call: () => T): T | Promise<T> {
  try {
    const answer = waitingForLock(call);
    return answer instanceof Promise ? answer.catch((error: unknown) => Promise.reject(unavailableOr(error))) : answer;
  } catch (error) {
    throw unavailableOr(error);
  }
}

/**
 * What a write transaction ran with, as the store reports it to a test (`onCommit`): its
 * statements, `PRAGMA synchronous` read on the connection in that transaction (1, NORMAL: in the
 * WAL, handed to the operating system; 2, FULL: the WAL synced inside the commit), and whether a
 * sync of the WAL has since covered it.
 */
export interface ObservedCommit {
  statements: readonly string[];
  synchronous: number;
  /** Set once a sync of the WAL covering the commit returned (a write that must survive a power loss: wal-sync.ts). */
  synced: boolean;
}

/** Statements prepared once and cached by their text; reads and ordinary writes answer synchronously, a durable write once the WAL sync that covers it returned. */
class SqliteDriver implements SqlDriver {
  readonly db: Database.Database;
  readonly #statements = new Map<string, Prepared>();
  readonly #onCommit: ((commit: ObservedCommit) => void) | undefined;
  /** Where a write that must survive a power loss waits for the disk; null for a database in memory. */
  readonly #walSync: WalSync | null;

  readonly #commits: Commits;

  constructor(db: Database.Database, walSync: WalSync | null, commits: Commits, onCommit?: (commit: ObservedCommit) => void) {
    this.db = db;
    this.#walSync = walSync;
    this.#commits = commits;
    this.#onCommit = onCommit;
  }

  /**
   * A committed write with the durability it asks for. Every transaction commits at NORMAL (WAL
   * mode: it survives a process crash); one that must survive a power loss is answered only once
   * a sync of the WAL covers it, run off the event loop (wal-sync.ts). A database in memory has
   * nothing to sync.
   */
  #durable<T>(survives: Survives, committed: T | Promise<T>, observed: ObservedCommit | null): T | Promise<T> {
    const walSync = this.#walSync;
    if (survives === 'process-crash' || walSync === null) return committed;
    const synced = (value: T) =>
      walSync.afterCommit().then(
        () => {
          if (observed !== null) observed.synced = true;
          return value;
        },
        (error: unknown) => Promise.reject(new StoreUnavailableError(error)),
      );
    return committed instanceof Promise ? committed.then(synced) : synced(committed);
  }

  /** What a test that asked is told of a write: made before it runs, filled in and reported inside its transaction. */
  #observation(statements: readonly Statement[]): ObservedCommit | null {
    return this.#onCommit ? { statements: statements.map(([sql]) => sql), synchronous: 0, synced: false } : null;
  }

  /** Reports a write to the test that asked; in the same synchronous stretch as its commit, so nothing runs between. */
  #observe(observed: ObservedCommit | null): void {
    // A write tried again after waiting for a lock is reported once.
    if (observed === null || observed.synchronous !== 0) return;
    observed.synchronous = this.db.pragma('synchronous', { simple: true }) as number;
    this.#onCommit?.(observed);
  }

  #stmt(sql: string): Prepared {
    let statement = this.#statements.get(sql);
    if (!statement) {
      statement = this.db.prepare<unknown[], Row>(sql);
      this.#statements.set(sql, statement);
    }
    return statement;
  }
  get(sql: string, params: unknown[]): Row | undefined | Promise<Row | undefined> {
    return guarded(() => this.#stmt(sql).get(...params));
  }
  all(sql: string, params: unknown[]): Row[] | Promise<Row[]> {
    return guarded(() => this.#stmt(sql).all(...params));
  }
  run(sql: string, params: unknown[], survives: Survives = 'power-loss'): number | Promise<number> {
    const observed = this.#observation([[sql, params]]);
    const committed = guarded(() => {
      try {
        this.#observe(observed);
        return this.#stmt(sql).run(...params).changes;
      } finally {
        this.#commits.committed();
      }
    });
    return this.#durable(survives, committed, observed);
  }
  batch(statements: readonly Statement[], survives: Survives = 'power-loss'): number[] | Promise<number[]> {
    // IMMEDIATE takes the write lock up front, so a concurrent writer waits instead of failing mid-way.
    const observed = this.#observation(statements);
    const transaction = this.db.transaction(() => {
      this.#observe(observed);
      return statements.map(([sql, params]) => this.#stmt(sql).run(...params).changes);
    });
    const committed = guarded(() => {
      try {
        return transaction.immediate();
      } finally {
        this.#commits.committed();
      }
    });
    return this.#durable(survives, committed, observed);
  }
}

export class SqliteStore extends SqlStore {
  readonly #db: Database.Database;
  readonly #dataVersion: Database.Statement<[], number>;
  #version = 0;
  #versionReadAt = Number.NEGATIVE_INFINITY;
  /** Commits through other connections of this process when `data_version` was last read. */
  #commitsSeen = -1;
  readonly #commits: Commits;
  readonly #inserts: GroupCommit;
  readonly #checkpointer: Checkpointer | null = null;
  readonly #walSync: WalSync | null;

  /**
   * `backgroundCheckpoints`: copy the WAL back on a worker thread instead of in the commits of
   * this connection (checkpointer.ts). For a long-running server; a CLI command does without.
   * `onCommit`: for tests, called in every write transaction of the store's methods with what it
   * ran and the durability it committed with.
   */
  constructor(path: string, options: { backgroundCheckpoints?: boolean; onCommit?: (commit: ObservedCommit) => void } = {}) {
    // Private from the start: SQLite gives the -wal and -shm files the database file's mode.
    if (path !== ':memory:') createPrivateFile(path);
    const db = new Database(path);
    db.pragma('journal_mode = WAL');
    // Every commit at NORMAL; the writes that must survive a power loss then wait for a sync of the WAL (wal-sync.ts).
    db.pragma('synchronous = NORMAL');
    db.pragma(`busy_timeout = ${IN_THREAD_WAIT_MS}`);
    db.pragma('foreign_keys = ON');
    db.pragma(`mmap_size = ${MMAP_BYTES}`);
    db.pragma(`cache_size = -${PAGE_CACHE_KIB}`);
    const walSync = path === ':memory:' ? null : new WalSync(path);
    const commits = new Commits();
    const driver = new SqliteDriver(db, walSync, commits, options.onCommit);
    super(driver);
    this.#db = db;
    this.#commits = commits;
    this.#walSync = walSync;
    // A token lost to a power cut is one its client asks for again: inserts need not wait for the disk.
    const written = (changed: number[]) => changed.map((n) => n > 0);
    this.#inserts = new GroupCommit(
      (statements) => {
        // Answered at once, or later when it had to wait for a lock held elsewhere (busy-wait.ts).
        const committed = driver.batch(statements, 'process-crash');
        return committed instanceof Promise ? committed.then(written) : written(committed);
      },
      ([sql, params]) => {
        const changed = driver.run(sql, params, 'process-crash');
        return changed instanceof Promise ? changed.then((n) => n > 0) : changed > 0;
      },
    );
    this.#dataVersion = db.prepare<[], number>('PRAGMA data_version').pluck();
    if (options.backgroundCheckpoints && path !== ':memory:') {
      db.pragma(`wal_autocheckpoint = ${SAFETY_NET_FRAMES}`);
      // Should the worker fail, this connection checkpoints as SQLite does by default again.
      this.#checkpointer = new Checkpointer(path, () => {
        if (db.open) db.pragma('wal_autocheckpoint = 1000');
      });
    }
  }

  async migrate(): Promise<void> {
    await waitingForLock(() => this.#db.exec(SCHEMA_MIGRATIONS_TABLE));
    // IMMEDIATE takes the write lock first, so two processes starting at once cannot both migrate.
    const migrateAll = this.#db.transaction(() => {
      const applied = new Set(this.#db.prepare(SELECT_APPLIED_MIGRATIONS).pluck().all() as number[]);
      for (const migration of MIGRATIONS) {
        if (applied.has(migration.version)) continue;
        this.#db.exec(migration.sql);
        const rewrites = migration.rewrites ?? [];
        const plans = planRewrites(
          migration,
          rewrites.map((rewrite) => this.#db.prepare(rewrite.select).all() as Row[]),
        );
        rewrites.forEach((rewrite, i) => {
          const update = this.#db.prepare(rewrite.update);
          for (const params of plans[i] ?? []) update.run(...params);
        });
        if (migration.finish) this.#db.exec(migration.finish);
        this.#db.prepare(RECORD_MIGRATION).run(migration.version, migration.name, Date.now());
      }
    });
    await waitingForLock(() => migrateAll.immediate());
    this.#commits.committed();
  }

  async ping(): Promise<void> {
    await guarded(() => this.#db.prepare('SELECT 1').get());
  }

  /**
   * The probe waits for another connection's write lock far less than a write does: readiness
   * must answer within a probe's timeout, and better-sqlite3 waits on this thread.
   */
  async probeWrite(): Promise<void> {
    this.#db.pragma(`busy_timeout = ${PROBE_BUSY_TIMEOUT_MS}`);
    try {
      this.#db.prepare(PROBE_WRITE).run();
    } catch (error) {
      throw unavailableOr(error);
    } finally {
      this.#db.pragma(`busy_timeout = ${IN_THREAD_WAIT_MS}`);
    }
  }

  /**
   * Committed with the other inserts of this event-loop turn (group-commit.ts), each written only
   * while its client and user are active: SQLite has one writer, so each insert reads the state
   * as the last commit left it (statements.ts, `ISSUER_ACTIVE`).
   */
  override insertToken(token: TokenRecord): Promise<boolean> {
    return this.#inserts.run([SQL.insertTokenIfActive, [...tokenParams(token), ...issuerParams(token)]]);
  }

  async close(): Promise<void> {
    if (this.#db.open) await this.#inserts.flush();
    await this.#checkpointer?.stop();
    await this.#walSync?.close();
    if (this.#db.open) this.#db.close();
  }

  /**
   * Moves when another connection (the CLI, another process on the file) commits. It says only
   * that something changed, so caches drop everything: kept so on purpose. One machine, and
   * writes from another process are rare (an operator's command); the stream of admin writes
   * that matters (an API client such as Terraform) goes through this server, whose admin core
   * drops only what each write touches. A change-log table written in each change's transaction
   * would say which entity changed, at the cost of a migration and one more write on every
   * directory write path, seeds included.
   */
  changeVersion(): number {
    // A monotonic clock of the machine, not the injected Clock: a test's manual clock stands still.
    // A commit through another connection of this process is seen at once, not a millisecond later.
    const now = performance.now();
    const elsewhere = this.#commits.elsewhere;
    if (now - this.#versionReadAt >= DATA_VERSION_REUSE_MS || this.#commitsSeen !== elsewhere) {
      this.#version = this.#dataVersion.get() as number;
      this.#versionReadAt = now;
      this.#commitsSeen = elsewhere;
    }
    return this.#version;
  }
}
