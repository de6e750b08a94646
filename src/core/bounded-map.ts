/**
 * A Map that holds at most `capacity` entries: setting a new key when full forgets the oldest
 * one (insertion order). For every in-memory structure that a caller can grow, so that none
 * grows without end: what it drops is only a cache miss.
 */
export class BoundedMap<K, V> {
  readonly capacity: number;
  readonly #entries = new Map<K, V>();

  constructor(capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new Error(`BoundedMap capacity must be a positive whole number, not ${capacity}`);
    this.capacity = capacity;
  }

  get size(): number {
    return this.#entries.size;
  }

  get(key: K): V | undefined {
    return this.#entries.get(key);
  }

  /** Sets `key`; returns the entry forgotten to make room for it, if one was. */
  set(key: K, value: V): [K, V] | undefined {
    let forgotten: [K, V] | undefined;
    if (!this.#entries.has(key) && this.#entries.size >= this.capacity) {
      const oldest = this.#entries.entries().next();
      if (!oldest.done) {
        forgotten = oldest.value;
        this.#entries.delete(oldest.value[0]);
      }
    }
    this.#entries.set(key, value);
    return forgotten;
  }

  has(key: K): boolean {
    return this.#entries.has(key);
  }

  clear(): void {
    this.#entries.clear();
  }

  delete(key: K): boolean {
    return this.#entries.delete(key);
  }
}
