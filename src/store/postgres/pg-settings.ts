/**
 * Connection settings of the PostgreSQL store, read from the environment (docs/several-nodes.md).
 * A wrong value throws at start-up, naming the variable.
 */
import { wholeNumber } from '../../whole-number.js';

export interface PgSettings {
  /** Most pooled connections of this node (`TOKEND_PG_POOL_MAX`, default 10); LISTEN takes one more. */
  poolMax: number;
  /** Longest wait to open a connection or to get one from a busy pool (`TOKEND_PG_CONNECT_TIMEOUT_MS`, 2000). */
  connectTimeoutMs: number;
  /** Longest a statement may run, on the server and in the client (`TOKEND_PG_QUERY_TIMEOUT_MS`, 5000). */
  queryTimeoutMs: number;
  /** An unused pooled connection is closed after this long (`TOKEND_PG_IDLE_TIMEOUT_MS`, 30000). */
  idleTimeoutMs: number;
  /** How often the LISTEN connection proves it is alive (`TOKEND_PG_HEARTBEAT_MS`, 1000). */
  heartbeatMs: number;
}

export const PG_DEFAULTS: PgSettings = {
  poolMax: 10,
  connectTimeoutMs: 2000,
  queryTimeoutMs: 5000,
  idleTimeoutMs: 30_000,
  heartbeatMs: 1000,
};

const VARIABLES: Record<keyof PgSettings, [name: string, min: number, max: number]> = {
  poolMax: ['TOKEND_PG_POOL_MAX', 1, 1000],
  connectTimeoutMs: ['TOKEND_PG_CONNECT_TIMEOUT_MS', 100, 600_000],
  queryTimeoutMs: ['TOKEND_PG_QUERY_TIMEOUT_MS', 100, 600_000],
  idleTimeoutMs: ['TOKEND_PG_IDLE_TIMEOUT_MS', 1000, 3_600_000],
  heartbeatMs: ['TOKEND_PG_HEARTBEAT_MS', 50, 60_000],
};

export function pgSettingsFromEnvironment(env: NodeJS.ProcessEnv): PgSettings {
  const settings = { ...PG_DEFAULTS };
  for (const key of Object.keys(VARIABLES) as Array<keyof PgSettings>) {
    const [name, min, max] = VARIABLES[key];
    const raw = env[name];
    if (raw === undefined || raw === '') continue;
    settings[key] = wholeNumber(name, raw, min, max);
  }
  return settings;
}
