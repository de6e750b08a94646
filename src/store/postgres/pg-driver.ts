/**
 * The PostgreSQL driver under the shared {@link SqlStore}: a bounded pool, the shared `?`
 * statements numbered for PostgreSQL and prepared by name on each connection, and every
 * connection failure turned into StoreUnavailableError (a connection that cannot be opened,
 * whatever the reason, and the failures of pg-errors.ts).
 *
 * Durability: every commit returns once PostgreSQL has flushed its WAL (`synchronous_commit`
 * at its default, on: nothing here or in the connection options changes it), so every write
 * survives a power loss and the `survives` of {@link SqlDriver.run} asks nothing more here.
 */
import pg from 'pg';
import { StoreUnavailableError } from '../../core/errors.js';
import type { Row } from '../sql/mappers.js';
import type { SqlDriver, Statement } from '../sql/sql-driver.js';
import { translate } from './pg-errors.js';
import type { PgSettings } from './pg-settings.js';
import { numberPlaceholders } from './placeholders.js';

// BIGINT (int8) columns hold epoch milliseconds, well inside a double's exact range.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));

/** Connection options shared by the pool and the LISTEN connection. */
export function connectionConfig(url: string, settings: PgSettings, applicationName: string): pg.ClientConfig {
  return {
    connectionString: url,
    application_name: applicationName,
    connectionTimeoutMillis: settings.connectTimeoutMs,
    query_timeout: settings.queryTimeoutMs,
    statement_timeout: settings.queryTimeoutMs,
    keepAlive: true,
    keepAliveInitialDelayMillis: 10_000,
  };
}

const MAX_PREPARED = 500;

export class PgDriver implements SqlDriver {
  readonly pool: pg.Pool;
  readonly #names = new Map<string, string>();

  constructor(url: string, settings: PgSettings) {
    this.pool = new pg.Pool({ ...connectionConfig(url, settings, 'tokend'), max: settings.poolMax, idleTimeoutMillis: settings.idleTimeoutMs });
    // An idle pooled connection that dies (server restart, network cut) emits here; the pool
    // drops it and opens a new one on demand. Without a listener the process would crash.
    this.pool.on('error', () => {});
  }

  /**
   * A named prepared statement: parsed once per connection, then only bound and executed. The
   * shared SQL is a fixed set; past {@link MAX_PREPARED} distinct texts (SQL built at run time)
   * statements run unnamed, so a connection's prepared statements stay bounded.
   */
  #query(sql: string, params: unknown[]): pg.QueryConfig {
    let name = this.#names.get(sql);
    if (name === undefined && this.#names.size < MAX_PREPARED) {
      name = `tokend_${this.#names.size}`;
      this.#names.set(sql, name);
    }
    const text = numberPlaceholders(sql);
    return name === undefined ? { text, values: params } : { name, text, values: params };
  }

  /**
   * A connection from the pool. Whatever keeps one from being opened means the database cannot
   * serve us now, whatever its SQLSTATE: among them 55000 (the database is not accepting
   * connections), which from a statement would be a bug of ours and stays one (pg-errors.ts).
   */
  async #connect(): Promise<pg.PoolClient> {
    try {
      return await this.pool.connect();
    } catch (error) {
      throw error instanceof StoreUnavailableError ? error : new StoreUnavailableError(error);
    }
  }

  async #rows(sql: string, params: unknown[]): Promise<pg.QueryResult<Row>> {
    const client = await this.#connect();
    let failed: Error | undefined;
    try {
      return await client.query<Row>(this.#query(sql, params));
    } catch (error) {
      failed = error as Error;
      return translate(error);
    } finally {
      // As pool.query does: a connection whose statement failed is closed, not reused.
      client.release(failed);
    }
  }

  async get(sql: string, params: unknown[]): Promise<Row | undefined> {
    return (await this.#rows(sql, params)).rows[0];
  }
  async all(sql: string, params: unknown[]): Promise<Row[]> {
    return (await this.#rows(sql, params)).rows;
  }
  async run(sql: string, params: unknown[]): Promise<number> {
    return (await this.#rows(sql, params)).rowCount ?? 0;
  }

  async batch(statements: readonly Statement[]): Promise<number[]> {
    return this.transaction(async (client) => {
      const changed: number[] = [];
      for (const [sql, params] of statements) changed.push((await client.query(this.#query(sql, params))).rowCount ?? 0);
      return changed;
    });
  }

  /** Runs `work` on one connection between BEGIN and COMMIT; ROLLBACK on any failure. */
  async transaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await this.#connect();
    let broken: Error | undefined;
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch((rollbackError: Error) => {
        broken = rollbackError;
      });
      return translate(error);
    } finally {
      // A connection whose ROLLBACK failed is in an unknown state: destroy it rather than reuse it.
      client.release(broken);
    }
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
