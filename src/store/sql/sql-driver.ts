/**
 * What the SQL backends run on: a thin driver that only runs statements (lucia v3
 * `adapter-sqlite/src/base.ts`). SQLite's answers synchronously (no promise, no extra tick on the
 * hot path), PostgreSQL's through a pool. sql-store.ts writes every Store method once over it.
 */
import type { Row } from './mappers.js';

type Awaitable<T> = T | Promise<T>;

/** One statement and its parameters, for {@link SqlDriver.batch}. */
export type Statement = readonly [sql: string, params: unknown[]];

/**
 * What an acknowledged write must survive (docs/operations.md, "Durability").
 * - `'power-loss'`, the default: on disk before the call returns (SQLite: the WAL synced after
 *   the commit, off the event loop: sqlite/wal-sync.ts). Revocations and admin writes: a logout, a revoke or a
 *   disable that was answered must not come back to life after a power cut or an OS crash.
 * - `'process-crash'`: handed to the operating system is enough (SQLite `synchronous = NORMAL`
 *   in WAL mode, synced at the next checkpoint or durable commit). Token inserts, last use,
 *   sign-in bookkeeping: what a power cut loses of these is a token the client asks for again,
 *   an idle clock a little behind, a sign-in to repeat.
 * A durable commit also makes every earlier commit durable (the WAL is one file, synced whole).
 */
export type Survives = 'power-loss' | 'process-crash';

export interface SqlDriver {
  /** The first row, or undefined. */
  get(sql: string, params: unknown[]): Awaitable<Row | undefined>;
  all(sql: string, params: unknown[]): Awaitable<Row[]>;
  /** Runs a write; returns how many rows it changed. */
  run(sql: string, params: unknown[], survives?: Survives): Awaitable<number>;
  /**
   * Runs the statements in order in one transaction: all of them or none. Returns how many rows
   * each statement changed, in order (an admin action reports what it ended).
   */
  batch(statements: readonly Statement[], survives?: Survives): Awaitable<number[]>;
}
