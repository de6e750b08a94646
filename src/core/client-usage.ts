/**
 * OAuth client usage (OAuthApi's usage queries), from tokend's own request counts: counted in
 * memory on the request path (usage-counts.ts: a Map increment, no write per request), added to
 * the store by {@link ClientUsage.flush} at most once per flush interval per node (a minute by
 * default) and when the app closes, kept {@link USAGE_RETENTION_DAYS} days by UTC day.
 *
 * A batch counts in the UTC day its counting began: the flush timer also fires at each UTC
 * midnight (see {@link nextUsageFlushDelay}), so a batch never spans two days.
 */
import type { Clock } from './clock.js';
import type { ClientUsageRow, UsagePort } from './ports/usage-port.js';
import type { Principal } from './principal.js';
import { STATUS_METRICS, type Tally, UsageCounts } from './usage-counts.js';
import { type ApiUsageRow, DAY_MS, parseInterval, type UsageExecution, usageRows, utcDay } from './usage-query.js';

export const USAGE_RETENTION_DAYS = 30;
/** How often each node writes what it counted, unless configured (`usageFlushIntervalMs`). */
export const USAGE_FLUSH_INTERVAL_MS = 60_000;

/** Until the next flush: the interval, or less to end the batch at the next UTC midnight. */
export function nextUsageFlushDelay(now: number, intervalMs: number): number {
  const toMidnight = DAY_MS - (now % DAY_MS);
  return Math.max(1, Math.min(intervalMs, toMidnight));
}

/** The SDK spells route parameters `{name}` where Fastify has `:name`. */
const templateUri = (route: string) => route.replace(/:([A-Za-z]+)/g, '{$1}');

/** The first day kept at `now`: older rows are deleted, and never answered. */
export const firstKeptDay = (now: number) => utcDay(now - (USAGE_RETENTION_DAYS - 1) * DAY_MS);

export class ClientUsage {
  readonly #store: UsagePort;
  readonly #clock: Clock;
  readonly #counts = new UsageCounts();
  /** When the batch being counted began: its rows are of that UTC day. */
  #batchStart: number;
  #prunedBefore: string | null = null;
  #flushing: Promise<number> | null = null;

  constructor(store: UsagePort, clock: Clock) {
    this.#store = store;
    this.#clock = clock;
    this.#batchStart = clock.now();
  }

  /** One answered request of `principal`'s token (the request path: a Map increment). */
  count(principal: Principal, httpMethod: string, route: string, status: number): void {
    this.#counts.count(principal, httpMethod, route, status);
  }

  /** Distinct rows counted and not yet written. */
  get pending(): number {
    return this.#counts.size;
  }

  /**
   * Adds what was counted to the store, and deletes what is past retention (once a day). Flushes
   * never overlap; one asked for while one runs follows it. Returns how many rows it wrote. On
   * failure the counts are kept for the next flush.
   */
  flush(now = this.#clock.now()): Promise<number> {
    const previous = this.#flushing ?? Promise.resolve(0);
    const next = previous.catch(() => 0).then(() => this.#flushNow(now));
    this.#flushing = next;
    const clear = () => {
      if (this.#flushing === next) this.#flushing = null;
    };
    next.then(clear, clear);
    return next;
  }

  async #flushNow(now: number): Promise<number> {
    const tallies = this.#counts.take();
    const day = utcDay(this.#batchStart);
    try {
      await this.#store.addClientUsage(tallies.map((t) => rowOf(day, t)));
    } catch (error) {
      this.#counts.restore(tallies);
      throw error;
    }
    this.#batchStart = now;
    const firstKept = firstKeptDay(now);
    if (this.#prunedBefore !== firstKept) {
      await this.#store.deleteClientUsageBefore(firstKept);
      this.#prunedBefore = firstKept;
    }
    return tallies.length;
  }

  /** The ApiUsageRows of an execution, for its client, from the stored days still kept. */
  async results(execution: UsageExecution, client: { id: string; name: string }): Promise<ApiUsageRow[]> {
    const { start, end } = parseInterval(execution.interval);
    const firstKept = firstKeptDay(this.#clock.now());
    // The later of the two days (ISO days sort as text).
    const fromDay = [utcDay(start), firstKept].sort()[1]!;
    const toDay = utcDay(end - 1);
    // Outside what is kept: empty, not an error.
    if (fromDay > toDay) return [];
    return usageRows(await this.#store.findClientUsage(client.id, fromDay, toDay), execution, client);
  }
}

function rowOf(day: string, t: Tally): ClientUsageRow {
  const row: ClientUsageRow = {
    day,
    organizationId: t.organizationId,
    clientId: t.clientId,
    userId: t.userId,
    httpMethod: t.httpMethod,
    templateUri: templateUri(t.route),
    status200: 0,
    status300: 0,
    status400: 0,
    status429: 0,
    status500: 0,
  };
  STATUS_METRICS.forEach((metric, i) => {
    row[metric] = t.counts[i]!;
  });
  return row;
}
