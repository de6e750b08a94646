/**
 * tokend's configuration: what `buildApp` takes, and how the environment and flags fill it.
 * A wrong value throws at start-up with a message naming the setting (misuse is not bad input).
 */
import { isIP } from 'node:net';
import type { DestinationStream } from 'pino';
import type { Clock } from './core/clock.js';
import type { SlowHashLimits } from './core/throttle/slow-hash-queue.js';
import { type PgSettings, pgSettingsFromEnvironment } from './store/postgres/pg-settings.js';
import type { Store } from './store/store.js';

export interface TokendConfig {
  /** A SQLite file path (default `./data/tokend.db`), or a `postgres://` URL. */
  database: string;
  /** Pool and connection settings when `database` is a PostgreSQL URL (`TOKEND_PG_*`). */
  postgres?: PgSettings;
  /** A store to use instead of opening `database` (the caller then owns and closes it). */
  store?: Store;
  /** A seed file applied at start. */
  seedFile?: string;
  clock?: Clock;
  /** false: no log; otherwise pino at `level` (default info) to `stream` (default stdout). */
  logger?: false | { level?: string; stream?: DestinationStream };
  /** Largest accepted request body in bytes (default 64 KiB). */
  bodyLimit?: number;
  /** Requests per token per minute on /api/v2 (default 300, as in Genesys Cloud). */
  rateLimitPerMinute?: number;
  /** Tokens issued per client per minute, every grant together, on each node (default 1200). */
  issueRateLimitPerMinute?: number;
  /** Most tokens kept in memory (default 1,000,000). */
  tokenCacheSize?: number;
  /** How often last use is written (default 1 s). */
  flushIntervalMs?: number;
  /** How often expired tokens are deleted (default 60 s). */
  purgeIntervalMs?: number;
  /**
   * The reverse proxies whose `X-Forwarded-For` and `X-Forwarded-Proto` are believed: addresses,
   * CIDR blocks, or `loopback`, `linklocal`, `uniquelocal`. Empty (the default): none, and the
   * caller is the socket's peer.
   */
  trustedProxies?: string[];
  /** How many slow hashes (scrypt) run at once and wait (default: all cores but one, and 16). */
  slowHashes?: SlowHashLimits;
  /**
   * false: every request goes through Fastify, none through the node:http fast lane of
   * `GET`/`HEAD /api/v2/tokens/me` (src/http/fast-lane.ts). Default true.
   */
  fastLane?: boolean;
  /** Time a client has to send a request's headers (default 10 s); then 408 and the connection closes. */
  headersTimeoutMs?: number;
  /** Time a client has to send a whole request, body included (default 30 s); then 408 likewise. */
  requestTimeoutMs?: number;
  /**
   * A bearer token that reads `/metrics` from anywhere (and is then required from every caller);
   * without it only loopback callers may (src/http/metrics/endpoint.ts).
   */
  metricsToken?: string;
}

export const DEFAULTS = {
  database: './data/tokend.db',
  host: '127.0.0.1',
  port: 8080,
  bodyLimit: 64 * 1024,
  rateLimitPerMinute: 300,
  // 20 a second: a service caches its token for its lifetime (24 h by default), and even 1,000
  // people signing in through one app within a minute stay below it. README, "Configuration".
  issueRateLimitPerMinute: 1200,
  tokenCacheSize: 1_000_000,
  flushIntervalMs: 1000,
  purgeIntervalMs: 60_000,
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
} as const;

export interface ServeConfig extends TokendConfig {
  host: string;
  port: number;
  /** A port of its own where `/metrics` answers any caller (on `host`); none by default. */
  metricsPort?: number;
}

/** Shorter metrics tokens are refused: it guards the metrics from the whole network. */
const MIN_METRICS_TOKEN_LENGTH = 16;

/** Reads `PORT`, `HOST`, `TOKEND_*` from the environment; flags (already parsed) win. */
export function configFromEnvironment(env: NodeJS.ProcessEnv, flags: Record<string, string | undefined> = {}): ServeConfig {
  const pick = (flag: string, variable: string) => flags[flag] ?? env[variable];
  return {
    host: pick('host', 'HOST') ?? DEFAULTS.host,
    port: integer('PORT', pick('port', 'PORT'), DEFAULTS.port, 0, 65535),
    database: pick('database', 'TOKEND_DATABASE') ?? DEFAULTS.database,
    ...optional('seedFile', pick('seed', 'TOKEND_SEED')),
    logger: { level: pick('log-level', 'TOKEND_LOG_LEVEL') ?? 'info' },
    bodyLimit: integer('TOKEND_BODY_LIMIT', env.TOKEND_BODY_LIMIT, DEFAULTS.bodyLimit, 1024, 16 * 1024 * 1024),
    rateLimitPerMinute: integer('TOKEND_RATE_LIMIT', env.TOKEND_RATE_LIMIT, DEFAULTS.rateLimitPerMinute, 1, 1e9),
    issueRateLimitPerMinute: integer('TOKEND_ISSUE_RATE_LIMIT', env.TOKEND_ISSUE_RATE_LIMIT, DEFAULTS.issueRateLimitPerMinute, 1, 1e9),
    tokenCacheSize: integer('TOKEND_TOKEN_CACHE_SIZE', env.TOKEND_TOKEN_CACHE_SIZE, DEFAULTS.tokenCacheSize, 1, 1e8),
    postgres: pgSettingsFromEnvironment(env),
    trustedProxies: proxyList('TOKEND_TRUSTED_PROXIES', env.TOKEND_TRUSTED_PROXIES),
    ...slowClientLimits(env),
    ...metricsSettings(env),
  };
}

function metricsSettings(env: NodeJS.ProcessEnv): { metricsToken?: string; metricsPort?: number } {
  const token = env.TOKEND_METRICS_TOKEN;
  if (token !== undefined && token !== '' && (token.length < MIN_METRICS_TOKEN_LENGTH || /\s/.test(token))) {
    throw new Error(`TOKEND_METRICS_TOKEN is not valid: expected at least ${MIN_METRICS_TOKEN_LENGTH} characters and no spaces (its value is not shown)`);
  }
  const port = env.TOKEND_METRICS_PORT;
  return {
    ...(token ? { metricsToken: token } : {}),
    ...(port !== undefined && port !== '' ? { metricsPort: integer('TOKEND_METRICS_PORT', port, 0, 0, 65535) } : {}),
  };
}

/** Node refuses a headers timeout longer than the request timeout: say so in the settings' names. */
function slowClientLimits(env: NodeJS.ProcessEnv): { headersTimeoutMs: number; requestTimeoutMs: number } {
  const headersTimeoutMs = integer('TOKEND_HEADERS_TIMEOUT_MS', env.TOKEND_HEADERS_TIMEOUT_MS, DEFAULTS.headersTimeoutMs, 100, 3_600_000);
  const requestTimeoutMs = integer('TOKEND_REQUEST_TIMEOUT_MS', env.TOKEND_REQUEST_TIMEOUT_MS, DEFAULTS.requestTimeoutMs, 100, 3_600_000);
  if (headersTimeoutMs > requestTimeoutMs) {
    throw new Error(`TOKEND_HEADERS_TIMEOUT_MS=${headersTimeoutMs} is not valid: it must not exceed TOKEND_REQUEST_TIMEOUT_MS (${requestTimeoutMs})`);
  }
  return { headersTimeoutMs, requestTimeoutMs };
}

const PROXY_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/** A comma-separated list of addresses, CIDR blocks or proxy-addr's names; throws naming the bad entry. */
export function proxyList(name: string, raw: string | undefined): string[] {
  if (raw === undefined || raw.trim() === '') return [];
  return raw.split(',').map((entry) => {
    const value = entry.trim();
    const [address = '', prefix, ...rest] = value.split('/');
    const bits = isIP(address) === 4 ? 32 : isIP(address) === 6 ? 128 : 0;
    const prefixOk = prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= bits);
    if (PROXY_NAMES.has(value) || (bits > 0 && prefixOk && rest.length === 0)) return value;
    throw new Error(`${name}: ${JSON.stringify(value)} is not valid: expected an IP address, a CIDR block (10.0.0.0/8) or one of loopback, linklocal, uniquelocal`);
  });
}

function optional<K extends string>(key: K, value: string | undefined): Partial<Record<K, string>> {
  return value === undefined || value === '' ? {} : ({ [key]: value } as Record<K, string>);
}

function integer(name: string, raw: string | undefined, fallback: number, min: number, max: number): number {
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`${name}=${raw} is not valid: expected a whole number from ${min} to ${max}`);
  }
  return value;
}
