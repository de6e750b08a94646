/**
 * tokend's configuration: what `buildApp` takes, and how the environment and flags fill it.
 * A wrong value throws at start-up with a message naming the setting (misuse is not bad input).
 */
import { isIP } from 'node:net';
import type { DestinationStream } from 'pino';
import { editDistance } from './did-you-mean.js';
import type { Clock } from './core/clock.js';
import { DEFAULT_RATE_LIMIT_PER_MINUTE } from './core/rate-limit.js';
import type { SlowHashLimits } from './core/throttle/slow-hash-queue.js';
import { checkDatabaseSetting } from './store/database-location.js';
import { type PgSettings, pgSettingsFromEnvironment } from './store/postgres/pg-settings.js';
import { wholeNumber } from './whole-number.js';
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
  /** How often each node writes its per-client request counts (default 60 s; client-usage.ts). */
  usageFlushIntervalMs?: number;
  /**
   * The reverse proxies whose `X-Forwarded-For` and `X-Forwarded-Proto` are believed: addresses,
   * CIDR blocks, or `loopback`, `linklocal`, `uniquelocal`. Empty (the default): none, and the
   * caller is the socket's peer.
   */
  trustedProxies?: string[];
  /** How many slow hashes (scrypt) run at once and wait (default: all cores but one, and 16). */
  slowHashes?: SlowHashLimits;
  /**
   * false: every request goes through Fastify, none through the node:http lanes in front of it:
   * the fast lane of `GET`/`HEAD /api/v2/tokens/me` (src/http/fast-lane.ts) and the issuance
   * lane of client-credentials `POST /oauth/token` (src/http/issuance-lane.ts). Default true.
   */
  fastLane?: boolean;
  /** Time a client has to send a request's headers (default 10 s); then 408 and the connection closes. */
  headersTimeoutMs?: number;
  /** Time a client has to send a whole request, body included (default 30 s); then 408 likewise. */
  requestTimeoutMs?: number;
  /**
   * The URL clients reach tokend at (`TOKEND_PUBLIC_URL`): the `issuer` of the OAuth metadata
   * and the base of the endpoints it lists, never taken from a request's `Host`. Default:
   * `http://<host>:<port>` of the listener (buildApp alone: `http://127.0.0.1:8080`).
   */
  publicUrl?: string;
  /** A request answered slower than this (ms, default 1000) is logged at warn besides its access line. */
  slowRequestMs?: number;
  /**
   * A bearer token that reads `/metrics` from anywhere (and is then required from every caller);
   * without it only loopback callers may (src/http/metrics/endpoint.ts).
   */
  metricsToken?: string;
  /**
   * The test clock and faults under `/api/v2/tokend/test/` (`TOKEND_TEST_CONTROLS=1`;
   * src/http/routes/test-controls.ts). Off by default: the paths are then 404 and the clock is real time.
   */
  testControls?: boolean;
  /** A bearer token every caller of the test controls must send (`TOKEND_TEST_CONTROLS_TOKEN`); without it, loopback callers only. */
  testControlsToken?: string;
}

export const DEFAULTS = {
  database: './data/tokend.db',
  host: '127.0.0.1',
  port: 8080,
  bodyLimit: 64 * 1024,
  rateLimitPerMinute: DEFAULT_RATE_LIMIT_PER_MINUTE,
  // 20 a second: a service caches its token for its lifetime (24 h by default), and even 1,000
  // people signing in through one app within a minute stay below it (docs/configuration.md).
  issueRateLimitPerMinute: 1200,
  tokenCacheSize: 1_000_000,
  flushIntervalMs: 1000,
  purgeIntervalMs: 60_000,
  usageFlushIntervalMs: 60_000,
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  slowRequestMs: 1000,
} as const;

export interface ServeConfig extends TokendConfig {
  host: string;
  port: number;
  /** What the person set, for start-up messages: the flag (`--database`) when one was given, else the variable. */
  settingNames?: { database: string; seed: string; host: string; port: string };
  /** A port of its own where `/metrics` answers any caller (on `host`); none by default. */
  metricsPort?: number;
}

/**
 * The variables tokend reads (the command line's TOKEND_URL too). Add a new setting here: a
 * variable a letter or two away from one of these is taken for a typo of it.
 */
export const TOKEND_VARIABLES = [
  'TOKEND_DATABASE',
  'TOKEND_SEED',
  'TOKEND_DEMO',
  'TOKEND_LOG_LEVEL',
  'TOKEND_BODY_LIMIT',
  'TOKEND_RATE_LIMIT',
  'TOKEND_ISSUE_RATE_LIMIT',
  'TOKEND_TOKEN_CACHE_SIZE',
  'TOKEND_TRUSTED_PROXIES',
  'TOKEND_HEADERS_TIMEOUT_MS',
  'TOKEND_REQUEST_TIMEOUT_MS',
  'TOKEND_PG_POOL_MAX',
  'TOKEND_PG_CONNECT_TIMEOUT_MS',
  'TOKEND_PG_QUERY_TIMEOUT_MS',
  'TOKEND_PG_IDLE_TIMEOUT_MS',
  'TOKEND_PG_HEARTBEAT_MS',
  'TOKEND_URL',
  'TOKEND_PUBLIC_URL',
  'TOKEND_METRICS_TOKEN',
  'TOKEND_METRICS_PORT',
  'TOKEND_SLOW_REQUEST_MS',
  'TOKEND_TEST_CONTROLS',
  'TOKEND_TEST_CONTROLS_TOKEN',
];

/**
 * A misspelt setting would be ignored without a word, and `TOKEND_DATABSE=/srv/tokend.db` start
 * tokend on the default store: refused instead, naming the setting meant. Only near misses
 * (two edits at most) count, so variables of other programs are left alone.
 */
export function refuseMisspeltVariables(env: NodeJS.ProcessEnv): void {
  const known = new Set(TOKEND_VARIABLES);
  for (const name of Object.keys(env)) {
    if (known.has(name) || !/^TOKE/i.test(name)) continue;
    const upper = name.toUpperCase();
    // PORT and HOST have no prefix, as on most hosting platforms.
    const meant = ['TOKEND_PORT', 'TOKEND_HOST'].includes(upper)
      ? upper.slice('TOKEND_'.length)
      : TOKEND_VARIABLES.find((candidate) => editDistance(upper, candidate) <= 2);
    if (meant !== undefined) throw new Error(`${name} is not a setting of tokend: did you mean ${meant}? (a misspelt setting would be ignored)`);
  }
}

/** pino's levels, most to least severe, and `silent` (no log). */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

function logLevel(name: string, raw: string | undefined): string {
  if (raw === undefined || raw === '') return 'info';
  if ((LOG_LEVELS as readonly string[]).includes(raw)) return raw;
  throw new Error(`${name}=${raw} is not valid: expected one of ${LOG_LEVELS.join(', ')}`);
}

/**
 * A hostname as RFC 1123 spells one: dot-separated labels of letters, digits and inner hyphens,
 * and underscores, which container networks (Docker Compose service names) resolve.
 */
const HOSTNAME = /^(?=.{1,253}$)[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?(\.[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)*\.?$/i;

/** An IP address (IPv6 with or without brackets) or a hostname that resolves to the address to listen on. */
function hostSetting(name: string, raw: string | undefined): string {
  if (raw === undefined || raw === '') return DEFAULTS.host;
  const bare = raw.startsWith('[') && raw.endsWith(']') ? raw.slice(1, -1) : raw;
  if (isIP(bare) !== 0) return bare;
  // A name whose last label is all digits is a mistyped IPv4 address (256.0.0.1), not a hostname.
  if (HOSTNAME.test(raw) && !/(^|\.)\d+\.?$/.test(raw)) return raw;
  throw new Error(`${name}=${raw} is not valid: expected an IP address (127.0.0.1, 0.0.0.0, ::1, ::) or a hostname (localhost)`);
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === '' ? undefined : value;
}

/** Shorter metrics (and test controls) tokens are refused: each guards what it opens from the whole network. */
const MIN_METRICS_TOKEN_LENGTH = 16;

/** Reads `PORT`, `HOST`, `TOKEND_*` from the environment; flags (already parsed) win. */
export function configFromEnvironment(env: NodeJS.ProcessEnv, flags: Record<string, string | undefined> = {}): ServeConfig {
  refuseMisspeltVariables(env);
  const pick = (flag: string, variable: string) => flags[flag] ?? env[variable];
  // A message names what the person typed: the flag when one was given, else the variable.
  const named = (flag: string, variable: string) => (flags[flag] === undefined ? variable : `--${flag}`);
  const host = hostSetting(named('host', 'HOST'), pick('host', 'HOST'));
  const port = integer(named('port', 'PORT'), pick('port', 'PORT'), DEFAULTS.port, 0, 65535);
  return {
    host,
    port,
    database: checkDatabaseSetting(named('database', 'TOKEND_DATABASE'), nonEmpty(pick('database', 'TOKEND_DATABASE')) ?? DEFAULTS.database),
    settingNames: {
      database: named('database', 'TOKEND_DATABASE'),
      seed: named('seed', 'TOKEND_SEED'),
      host: named('host', 'HOST'),
      port: named('port', 'PORT'),
    },
    ...optional('seedFile', pick('seed', 'TOKEND_SEED')),
    logger: { level: logLevel(named('log-level', 'TOKEND_LOG_LEVEL'), pick('log-level', 'TOKEND_LOG_LEVEL')) },
    bodyLimit: integer('TOKEND_BODY_LIMIT', env.TOKEND_BODY_LIMIT, DEFAULTS.bodyLimit, 1024, 16 * 1024 * 1024),
    rateLimitPerMinute: integer('TOKEND_RATE_LIMIT', env.TOKEND_RATE_LIMIT, DEFAULTS.rateLimitPerMinute, 1, 1e9),
    issueRateLimitPerMinute: integer('TOKEND_ISSUE_RATE_LIMIT', env.TOKEND_ISSUE_RATE_LIMIT, DEFAULTS.issueRateLimitPerMinute, 1, 1e9),
    tokenCacheSize: integer('TOKEND_TOKEN_CACHE_SIZE', env.TOKEND_TOKEN_CACHE_SIZE, DEFAULTS.tokenCacheSize, 1, 1e8),
    postgres: pgSettingsFromEnvironment(env),
    slowRequestMs: integer('TOKEND_SLOW_REQUEST_MS', env.TOKEND_SLOW_REQUEST_MS, DEFAULTS.slowRequestMs, 1, 3_600_000),
    trustedProxies: proxyList('TOKEND_TRUSTED_PROXIES', env.TOKEND_TRUSTED_PROXIES),
    ...slowClientLimits(env),
    publicUrl: publicUrl('TOKEND_PUBLIC_URL', env.TOKEND_PUBLIC_URL, host, port),
    ...metricsSettings(env),
    ...testControlSettings(env),
  };
}

/** `TOKEND_TEST_CONTROLS`: `1` turns them on, `0` or unset leaves them off; a token without them is a mistake. */
function testControlSettings(env: NodeJS.ProcessEnv): { testControls?: true; testControlsToken?: string } {
  const raw = env.TOKEND_TEST_CONTROLS;
  if (raw !== undefined && raw !== '' && raw !== '0' && raw !== '1') throw new Error(`TOKEND_TEST_CONTROLS=${raw} is not valid: expected 1 (on) or 0 (off)`);
  const token = nonEmpty(env.TOKEND_TEST_CONTROLS_TOKEN);
  if (raw !== '1') {
    if (token !== undefined)
      throw new Error('TOKEND_TEST_CONTROLS_TOKEN is set but TOKEND_TEST_CONTROLS is not 1: the test controls stay off (set both, or neither)');
    return {};
  }
  if (token !== undefined && (token.length < MIN_METRICS_TOKEN_LENGTH || /\s/.test(token))) {
    throw new Error(`TOKEND_TEST_CONTROLS_TOKEN is not valid: expected at least ${MIN_METRICS_TOKEN_LENGTH} characters and no spaces (its value is not shown)`);
  }
  return { testControls: true, ...(token !== undefined ? { testControlsToken: token } : {}) };
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

/**
 * An absolute http(s) URL without query, fragment or credentials (RFC 8414 §2, `issuer`), kept
 * without its trailing slash so endpoint paths append to it. Unset: the listen address, which
 * is right only where clients reach tokend directly (docs/api.md, "Standard OAuth endpoints").
 */
export function publicUrl(name: string, raw: string | undefined, host: string, port: number): string {
  if (raw === undefined || raw === '') return `http://${isIP(host) === 6 ? `[${host}]` : host}:${port}`;
  const expected = 'expected an absolute http:// or https:// URL without query, fragment or user info, such as https://tokend.example.com';
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error(`${name}=${raw} is not valid: ${expected}`);
  }
  const plain = url.username === '' && url.password === '' && !raw.includes('?') && !raw.includes('#');
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || !plain) throw new Error(`${name}=${raw} is not valid: ${expected}`);
  return url.href.replace(/\/+$/, '');
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
    throw new Error(
      `${name}: ${JSON.stringify(value)} is not valid: expected an IP address, a CIDR block (10.0.0.0/8) or one of loopback, linklocal, uniquelocal`,
    );
  });
}

function optional<K extends string>(key: K, value: string | undefined): Partial<Record<K, string>> {
  return value === undefined || value === '' ? {} : ({ [key]: value } as Record<K, string>);
}

function integer(name: string, raw: string | undefined, fallback: number, min: number, max: number): number {
  return raw === undefined || raw === '' ? fallback : wholeNumber(name, raw, min, max);
}
