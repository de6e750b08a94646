/**
 * The SDK's ApiUsageClientQuery over stored client usage (OAuthApi's usage queries): parsing its
 * interval, naming its execution, and grouping rows into ApiUsageRows.
 *
 * An execution id is the query itself, encoded (base64url of its JSON): a results request on any
 * node computes the answer from the store, and no node keeps anything per query, so the number
 * of queries in flight costs no memory. The answer counts what was written up to the last flush
 * of each node (at most a minute behind).
 */
import { ApiError } from './errors.js';
import type { ClientUsageRow } from './ports/usage-port.js';
import { STATUS_METRICS } from './usage-counts.js';

export const GRANULARITIES = ['Day', 'Week', 'Month'] as const;
export const METRICS = ['Status200', 'Status300', 'Status400', 'Status500', 'Status429', 'Requests'] as const;
export const DIMENSIONS = ['OAuthClientId', 'OrganizationId', 'UserId', 'TemplateUri', 'HttpMethod'] as const;

export interface UsageQuery {
  interval: string;
  granularity?: (typeof GRANULARITIES)[number];
  metrics?: Array<(typeof METRICS)[number]>;
  groupBy?: Array<(typeof DIMENSIONS)[number]>;
}

/** A query tied to its client: what an execution id carries. */
export interface UsageExecution extends UsageQuery {
  clientId: string;
}

const DAY_MS = 86_400_000;
/** An instant as ISO-8601 requires it: a date, and optionally a time with an offset (or Z). */
const INSTANT = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

export const utcDay = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

const badInterval = (message: string) =>
  new ApiError(400, 'invalid.value', `interval: ${message}`, { details: [{ errorCode: 'invalid.value', fieldName: 'interval' }] });

/** `start/end` as two ISO-8601 instants, start before end; 400 `invalid.value` otherwise. */
export function parseInterval(interval: string): { start: number; end: number } {
  const parts = interval.split('/');
  if (parts.length !== 2) throw badInterval('must be two ISO-8601 instants joined by "/" (2026-01-01T00:00:00Z/2026-01-08T00:00:00Z)');
  const [start, end] = parts.map((part) => {
    // A time without an offset is UTC, as Genesys reads it.
    const text = /T\d{2}:\d{2}(?::[\d.]+)?$/.test(part) ? `${part}Z` : part;
    const ms = INSTANT.test(part) ? Date.parse(text) : Number.NaN;
    if (Number.isNaN(ms)) throw badInterval(`${JSON.stringify(part)} is not an ISO-8601 instant`);
    return ms;
  }) as [number, number];
  if (start >= end) throw badInterval('the start must be before the end');
  return { start, end };
}

export function encodeExecution(execution: UsageExecution): string {
  return Buffer.from(JSON.stringify(execution)).toString('base64url');
}

/** The execution an id names; null for an id tokend did not give (or gave for another client). */
export function decodeExecution(executionId: string, clientId: string): UsageExecution | null {
  try {
    const execution = JSON.parse(Buffer.from(executionId, 'base64url').toString('utf8')) as UsageExecution;
    if (execution?.clientId !== clientId || typeof execution.interval !== 'string') return null;
    parseInterval(execution.interval);
    return execution;
  } catch {
    return null;
  }
}

/** The start of the Day, Week (Monday, as ISO-8601) or Month of `day`, as an ISO instant. */
function bucketOf(day: string, granularity: UsageQuery['granularity']): string {
  const date = new Date(`${day}T00:00:00.000Z`);
  if (granularity === 'Week') date.setUTCDate(date.getUTCDate() - ((date.getUTCDay() + 6) % 7));
  if (granularity === 'Month') date.setUTCDate(1);
  return date.toISOString();
}

const DIMENSION_FIELDS = {
  OAuthClientId: 'clientId',
  OrganizationId: 'organizationId',
  UserId: 'userId',
  TemplateUri: 'templateUri',
  HttpMethod: 'httpMethod',
} as const;

export type ApiUsageRow = Record<string, string | number>;

/**
 * The rows of the days the interval touches (a day is counted whole: usage is kept by UTC day),
 * grouped by the query's dimensions and granularity, with its metrics (all when none are named).
 */
export function usageRows(rows: readonly ClientUsageRow[], query: UsageQuery, client: { id: string; name: string }): ApiUsageRow[] {
  const { start, end } = parseInterval(query.interval);
  const fromDay = utcDay(start);
  const toDay = utcDay(end - 1);
  const dimensions = [...new Set(query.groupBy ?? [])];
  const metrics = new Set(query.metrics === undefined || query.metrics.length === 0 ? METRICS : query.metrics);
  const groups = new Map<string, { fields: ApiUsageRow; counts: number[] }>();
  for (const row of rows) {
    if (row.day < fromDay || row.day > toDay) continue;
    const fields: ApiUsageRow = { clientId: client.id, clientName: client.name };
    for (const dimension of dimensions) {
      const field = DIMENSION_FIELDS[dimension];
      // A client-credentials token has no person: its rows carry no userId.
      if (row[field] !== '') fields[field] = row[field];
    }
    if (query.granularity !== undefined) fields.date = bucketOf(row.day, query.granularity);
    const key = JSON.stringify(fields);
    let group = groups.get(key);
    if (group === undefined) groups.set(key, (group = { fields, counts: [0, 0, 0, 0, 0] }));
    STATUS_METRICS.forEach((metric, i) => {
      group.counts[i]! += row[metric];
    });
  }
  const answer = [...groups.values()].map(({ fields, counts }) => {
    const out: ApiUsageRow = { ...fields };
    STATUS_METRICS.forEach((metric, i) => {
      if (metrics.has(`S${metric.slice(1)}` as (typeof METRICS)[number])) out[metric] = counts[i]!;
    });
    if (metrics.has('Requests')) out.requests = counts.reduce((a, b) => a + b, 0);
    return out;
  });
  return answer.sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));
}

export { DAY_MS };
