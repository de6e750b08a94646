/**
 * The metrics of one app (a registry per app, not prom-client's global one, so that tests can
 * build many): Node.js and process metrics under their standard names, and tokend's own, read
 * from plain counters at scrape time (docs/operations-metrics.md lists them all).
 */
import { collectDefaultMetrics, Registry } from 'prom-client';
import { type RevocationCause, type SignInResult, type ThrottleName, VALIDATION_RESULTS } from '../../core/counts.js';
import type { Services } from '../../core/services.js';
import type { ReadinessPort } from '../../core/ports/readiness-port.js';
import type { FastLaneStats } from '../fast-lane.js';
import type { IssuanceLaneStats } from '../issuance-lane.js';
import { registerHistogram, registerRead } from './custom-metrics.js';
import type { RouteDurations } from './route-durations.js';
import type { StoreTimings } from './store-timings.js';

const REVOCATION_CAUSES: readonly RevocationCause[] = [
  'idle',
  'self',
  'user_tokens',
  'code_replay',
  'refresh_reuse',
  'sign_out',
  'sign_out_all',
  'account_page',
  'oauth_revoke',
];
const SIGN_IN_RESULTS: readonly SignInResult[] = ['succeeded', 'failed', 'throttled', 'busy'];
const THROTTLES: readonly ThrottleName[] = ['sign_in', 'client_auth', 'slow_hash_queue', 'issuance', 'rate_limit'];

export interface AppMetrics {
  readonly registry: Registry;
  readonly routeDurations: RouteDurations;
}

export interface MetricSources {
  services: Services;
  /** The store itself (not the timed one): its connection state. */
  store: ReadinessPort;
  storeTimings: StoreTimings;
  fastLane: FastLaneStats | null;
  issuanceLane: IssuanceLaneStats | null;
  /** Filled by the app's onResponse hook and the two lanes. */
  routeDurations: RouteDurations;
  tokenCacheCapacity: number;
}

/** Every label set of a fixed list, zero until counted, so that each series exists from the start. */
function byLabel<K extends string>(label: string, keys: readonly K[], counted: Iterable<[K, number]>): Array<[Record<string, string>, number]> {
  const values = new Map<K, number>(keys.map((key) => [key, 0]));
  for (const [key, count] of counted) values.set(key, count);
  return Array.from(values, ([key, count]) => [{ [label]: key }, count]);
}

/** A node:http lane's counts by outcome; no series while the lane is off. */
function laneOutcomes(lane: FastLaneStats | IssuanceLaneStats | null): Array<[Record<string, string>, number]> {
  if (lane === null) return [];
  return [
    [{ outcome: 'answered' }, lane.answered],
    [{ outcome: 'handed_on' }, lane.handedOn],
  ];
}

export function createMetrics({ services, store, storeTimings, fastLane, issuanceLane, routeDurations, tokenCacheCapacity }: MetricSources): AppMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const { counts, authenticator } = services;

  registerRead(
    registry,
    'counter',
    'tokend_tokens_issued_total',
    "Access tokens issued, by grant type and client kind (the client's authorized grant type)",
    () => Array.from(counts.issued(), ({ grantType, clientKind, count }) => [{ grant_type: grantType, client_kind: clientKind }, count]),
  );
  registerRead(registry, 'counter', 'tokend_token_validations_total', 'Bearer tokens judged, by result', () =>
    byLabel(
      'result',
      VALIDATION_RESULTS,
      VALIDATION_RESULTS.map((result): [typeof result, number] => [result, counts.validations[result]]),
    ),
  );
  registerRead(registry, 'counter', 'tokend_token_revocations_total', 'Revocations through tokend, by cause', () =>
    byLabel('cause', REVOCATION_CAUSES, counts.revocations.entries()),
  );
  registerRead(registry, 'counter', 'tokend_sign_ins_total', 'Password checks (sign-in page and password grant), by result', () =>
    byLabel('result', SIGN_IN_RESULTS, counts.signIns.entries()),
  );
  registerRead(registry, 'counter', 'tokend_throttle_refusals_total', 'Requests turned away by a limit, by throttle', () => {
    const refusals = new Map(counts.throttleRefusals.entries());
    refusals.set('slow_hash_queue', services.slowHashes.refused);
    return byLabel('throttle', THROTTLES, refusals);
  });
  registerRead(registry, 'gauge', 'tokend_slow_hash_places_taken', 'Slow hashes (scrypt) running or waiting now', () => [[{}, services.slowHashes.taken]]);

  registerRead(registry, 'gauge', 'tokend_token_cache_size', 'Access tokens held in the token cache', () => [[{}, authenticator.cacheSize]]);
  registerRead(registry, 'gauge', 'tokend_token_cache_capacity', 'Most access tokens the cache holds (TOKEND_TOKEN_CACHE_SIZE)', () => [
    [{}, tokenCacheCapacity],
  ]);
  registerRead(registry, 'counter', 'tokend_token_cache_hits_total', 'Bearer tokens found in the cache', () => [[{}, counts.tokenCache.hits]]);
  registerRead(registry, 'counter', 'tokend_token_cache_misses_total', 'Bearer tokens not in the cache (looked up in the store)', () => [
    [{}, counts.tokenCache.misses],
  ]);
  registerRead(registry, 'counter', 'tokend_token_cache_evictions_total', 'Tokens pushed out of a full cache', () => [[{}, counts.tokenCache.evictions]]);
  registerRead(registry, 'counter', 'tokend_fast_lane_requests_total', 'GET/HEAD /api/v2/tokens/me answered by the fast lane, or handed on to the router', () =>
    laneOutcomes(fastLane),
  );
  registerRead(
    registry,
    'counter',
    'tokend_issuance_lane_requests_total',
    'POST /oauth/token issued and answered by the issuance lane, or handed on to the router',
    () => laneOutcomes(issuanceLane),
  );

  registerHistogram(
    registry,
    'tokend_http_request_duration_seconds',
    'Time from receiving a request to its response, by route template, method and status class',
    () => routeDurations.values(),
  );
  registerHistogram(registry, 'tokend_store_operation_duration_seconds', 'Time of store calls, by operation', () => storeTimings.durations.values());
  registerRead(
    registry,
    'counter',
    'tokend_store_unavailable_total',
    'Store calls that failed because the database could not be reached (answered 503), by operation',
    () => Array.from(storeTimings.unavailable, ([operation, count]) => [{ operation }, count]),
  );

  if (store.connectionState) {
    const state = () => store.connectionState!();
    registerRead(registry, 'gauge', 'tokend_pg_pool_connections', 'PostgreSQL pool connections, by state', () => {
      const { poolTotal, poolIdle } = state();
      return [
        [{ state: 'idle' }, poolIdle],
        [{ state: 'busy' }, poolTotal - poolIdle],
      ];
    });
    registerRead(registry, 'gauge', 'tokend_pg_pool_waiting', 'Queries waiting for a pooled PostgreSQL connection', () => [[{}, state().poolWaiting]]);
    registerRead(
      registry,
      'gauge',
      'tokend_pg_notifications_connected',
      '1 while the LISTEN connection is up and trusted, else 0 (every cache is then distrusted)',
      () => [[{}, state().notificationsConnected ? 1 : 0]],
    );
    registerRead(registry, 'counter', 'tokend_pg_notifications_reconnects_total', 'Times the LISTEN connection was made again after being lost', () => [
      [{}, state().notificationReconnects],
    ]);
  }
  return { registry, routeDurations };
}
