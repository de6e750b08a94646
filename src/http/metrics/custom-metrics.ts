/**
 * Metrics whose values are read when Prometheus scrapes, in prom-client's metric shape: the
 * request path only increments plain numbers (core/counts.ts, the fast lane's stats, a bucket
 * array), and the scrape turns them into series. prom-client's own Counter and Histogram would
 * hash a label set on every increment.
 */
import type { Registry } from 'prom-client';

type Labels = Record<string, string>;
interface Sample {
  labels: Labels;
  value: number;
  metricName?: string;
}

/** Registers a counter or gauge whose samples `read` returns at each scrape. */
export function registerRead(registry: Registry, type: 'counter' | 'gauge', name: string, help: string, read: () => Iterable<[Labels, number]>): void {
  const metric = {
    name,
    help,
    type,
    aggregator: 'sum',
    get: async () => ({ name, help, type, aggregator: 'sum', values: Array.from(read(), ([labels, value]): Sample => ({ labels, value })) }),
    reset: () => {},
  };
  registry.registerMetric(metric as never);
}

/** Upper bounds in seconds, shared by every request-duration series. */
export const DURATION_BUCKETS = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] as const;

/** One histogram series: a count per bucket (the last one past every bound), their sum. */
export class DurationSeries {
  readonly counts = new Array<number>(DURATION_BUCKETS.length + 1).fill(0);
  sum = 0;

  constructor(readonly labels: Labels) {}

  observe(seconds: number): void {
    let i = 0;
    while (i < DURATION_BUCKETS.length && seconds > DURATION_BUCKETS[i]!) i++;
    this.counts[i]!++;
    this.sum += seconds;
  }
}

/** Registers a histogram of the series `read` returns, in Prometheus's cumulative form. */
export function registerHistogram(registry: Registry, name: string, help: string, read: () => Iterable<DurationSeries>): void {
  const samples = (): Sample[] => {
    const values: Sample[] = [];
    for (const series of read()) {
      let cumulative = 0;
      DURATION_BUCKETS.forEach((bound, i) => {
        cumulative += series.counts[i]!;
        values.push({ metricName: `${name}_bucket`, labels: { ...series.labels, le: String(bound) }, value: cumulative });
      });
      cumulative += series.counts[DURATION_BUCKETS.length]!;
      values.push({ metricName: `${name}_bucket`, labels: { ...series.labels, le: '+Inf' }, value: cumulative });
      values.push({ metricName: `${name}_sum`, labels: series.labels, value: series.sum });
      values.push({ metricName: `${name}_count`, labels: series.labels, value: cumulative });
    }
    return values;
  };
  const metric = {
    name,
    help,
    type: 'histogram',
    aggregator: 'sum',
    get: async () => ({ name, help, type: 'histogram', aggregator: 'sum', values: samples() }),
    reset: () => {},
  };
  registry.registerMetric(metric as never);
}
