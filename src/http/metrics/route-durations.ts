/**
 * Request durations per route template, method and status class. Every label comes from a
 * fixed set: the template Fastify matched (`unmatched` for any path it did not), a known
 * method (`other` for the rest node accepts), and the class of the status tokend sent; so a
 * flood of random paths, methods or query strings adds no series.
 */
import { DurationSeries } from './custom-metrics.js';

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);
export const UNMATCHED_ROUTE = 'unmatched';

export class RouteDurations {
  readonly #series = new Map<string, DurationSeries>();

  /** The series of one route, method and status (made on first use). */
  series(method: string, route: string, statusCode: number): DurationSeries {
    const knownMethod = METHODS.has(method) ? method : 'other';
    const statusClass = statusCode >= 100 && statusCode < 600 ? `${Math.floor(statusCode / 100)}xx` : 'other';
    const key = `${knownMethod} ${statusClass} ${route}`;
    let series = this.#series.get(key);
    if (series === undefined) this.#series.set(key, (series = new DurationSeries({ route, method: knownMethod, status_class: statusClass })));
    return series;
  }

  values(): IterableIterator<DurationSeries> {
    return this.#series.values();
  }
}
