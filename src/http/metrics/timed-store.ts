/**
 * The store as the services see it when metrics are on: every asynchronous call is timed and a
 * {@link StoreUnavailableError} counted, by operation (the method's name: a fixed list). The
 * synchronous calls, `changeVersion` above all (read on every request, the fast lane's
 * included), go straight to the store, untimed. A warm `GET /tokens/me` makes no store call,
 * so this costs the hot path nothing.
 */
import { StoreUnavailableError } from '../../core/errors.js';
import { DurationSeries } from './custom-metrics.js';

/** Members that answer at once (or register a callback): not timed, not wrapped in a promise. */
const SYNCHRONOUS = new Set(['constructor', 'changeVersion', 'watchRevocations', 'watchFailures', 'connectionState']);

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

/**
 * A store that forwards every member to `store`, timing its asynchronous methods into `timings`.
 * The members live on the prototype of an object with no properties of its own: an object given
 * dozens of own properties and getters one by one becomes a hash table to V8, and made every
 * `changeVersion()` of the hot path measurably slower.
 */
export function timedStore<S extends object>(store: S, timings: StoreTimings): S {
  const members: Record<string, unknown> = {};
  const seen = new Set<string>();
  for (let level: object | null = store; level !== null && level !== Object.prototype; level = Object.getPrototypeOf(level)) {
    for (const name of Object.getOwnPropertyNames(level)) {
      if (seen.has(name) || name === 'constructor') continue;
      seen.add(name);
      const member = Object.getOwnPropertyDescriptor(level, name)!.value as unknown;
      if (typeof member !== 'function') {
        // Data properties and getters (sharedByNodes, notificationsTrusted) read through to the store.
        Object.defineProperty(members, name, { get: () => (store as unknown as Record<string, unknown>)[name], enumerable: true });
      } else if (SYNCHRONOUS.has(name)) {
        members[name] = member.bind(store);
      } else {
        members[name] = timeCalls(store, name, member as (...args: unknown[]) => unknown, timings);
      }
    }
  }
  return Object.create(members) as S;
}
function timeCalls(store: object, operation: string, method: (...args: unknown[]) => unknown, timings: StoreTimings) {
  return async (...args: unknown[]): Promise<unknown> => {
    const started = performance.now();
    try {
      return await method.apply(store, args);
    } catch (error) {
      if (error instanceof StoreUnavailableError) timings.countUnavailable(operation);
      throw error;
    } finally {
      timings.observe(operation, (performance.now() - started) / 1000);
    }
  };
}
