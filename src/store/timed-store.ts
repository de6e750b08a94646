/**
 * The store as the services see it when metrics are on: every asynchronous call is timed and a
 * {@link StoreUnavailableError} counted, by operation (the method's name). A member that answers
 * at once (`changeVersion` above all, read on every request, the fast lane's included; the
 * `watch*` registrations) is told apart by its first answer, which is not a promise: from then on
 * it goes straight to the store, untimed. No list of such members is kept by hand, so a new one
 * cannot be timed by mistake. A warm `GET /tokens/me` makes no asynchronous store call, so this
 * costs the hot path nothing.
 */
import { StoreUnavailableError } from '../core/errors.js';

/** Where the timings go (the metrics endpoint's: src/http/metrics/store-timings.ts). */
export interface StoreObserver {
  observe(operation: string, seconds: number): void;
  countUnavailable(operation: string): void;
}

/**
 * A store that forwards every member to `store`, timing its asynchronous methods into `observer`.
 * The members live on the prototype of an object with no properties of its own: an object given
 * dozens of own properties and getters one by one becomes a hash table to V8, and made every
 * `changeVersion()` of the hot path measurably slower.
 */
export function timedStore<S extends object>(store: S, observer: StoreObserver): S {
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
      } else {
        members[name] = timeCalls(store, members, name, member as (...args: unknown[]) => unknown, observer);
      }
    }
  }
  return Object.create(members) as S;
}

function timeCalls(store: object, members: Record<string, unknown>, operation: string, method: (...args: unknown[]) => unknown, observer: StoreObserver) {
  return (...args: unknown[]): unknown => {
    const started = performance.now();
    const answer = method.apply(store, args);
    if (!(answer instanceof Promise)) {
      // It answers at once: not an operation to time. Called straight from now on.
      members[operation] = method.bind(store);
      return answer;
    }
    return answer.then(
      (value) => {
        observer.observe(operation, (performance.now() - started) / 1000);
        return value;
      },
      (error: unknown) => {
        if (error instanceof StoreUnavailableError) observer.countUnavailable(operation);
        observer.observe(operation, (performance.now() - started) / 1000);
        throw error;
      },
    );
  };
}
