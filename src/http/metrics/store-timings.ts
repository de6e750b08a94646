/** The store's call durations and refusals by operation, as the metrics endpoint reads them (src/store/timed-store.ts records them). */
import { DurationSeries } from './custom-metrics.js';

/** A StoreObserver (src/store/timed-store.ts), by shape: src/http imports nothing of src/store. */
export class StoreTimings {
  readonly durations = new Map<string, DurationSeries>();
  readonly unavailable = new Map<string, number>();

  observe(operation: string, seconds: number): void {
    let series = this.durations.get(operation);
    if (series === undefined) this.durations.set(operation, (series = new DurationSeries({ operation })));
    series.observe(seconds);
  }

  countUnavailable(operation: string): void {
    this.unavailable.set(operation, (this.unavailable.get(operation) ?? 0) + 1);
  }
}
