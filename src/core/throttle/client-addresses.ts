/**
 * The addresses each client authenticated from in the last 30 days (CONTRACT.md, "Sign-in and
 * client-authentication throttling"): once a client id is at its cap from all addresses
 * together, only these are still checked, and a client id from one of them is a known caller of
 * the slow-hash queue. Kept in the store (shared by every node, surviving restarts), like a
 * device cookie, and in a bounded map here.
 *
 * Only a success writes, at most once per client, address and day (the store's row moves only a
 * day at a time, so several nodes cost one write a day between them): a caller without the
 * secret can neither grow the table nor this map. A read of the store answers "not remembered"
 * without remembering that, so wrong secrets from many addresses grow nothing either.
 */
import { BoundedMap } from '../bounded-map.js';
import type { Clock } from '../clock.js';
import type { AttemptsPort } from '../ports/attempts-port.js';

/** How long an address a client succeeded from stays remembered. */
export const REMEMBER_ADDRESS_MS = 30 * 24 * 3600_000;
/** The store is told of a remembered address again at most this often. */
const WRITE_EVERY_MS = 24 * 3600_000;
/** Most (client, address) pairs this node keeps in memory; one forgotten is read again. */
export const REMEMBERED_ADDRESSES = 100_000;

export class ClientAddresses {
  readonly #store: AttemptsPort;
  readonly #clock: Clock;
  /** `clientId NUL address` → the last success from there that the store holds, as far as this node knows. */
  readonly entries = new BoundedMap<string, number>(REMEMBERED_ADDRESSES);

  constructor(store: AttemptsPort, clock: Clock) {
    this.#store = store;
    this.#clock = clock;
  }

  /** Whether this node knows, without asking the store, that `clientId` succeeded from `address` in the last 30 days. */
  knows(clientId: string, address: string): boolean {
    const last = this.entries.get(entryKey(clientId, address));
    return last !== undefined && this.#clock.now() - last < REMEMBER_ADDRESS_MS;
  }

  /** Whether `clientId` succeeded from `address` in the last 30 days, asking the store when this node does not know. */
  async remembered(clientId: string, address: string): Promise<boolean> {
    if (this.knows(clientId, address)) return true;
    const last = await this.#store.findClientAddress(clientId, address);
    if (last === null || this.#clock.now() - last >= REMEMBER_ADDRESS_MS) return false;
    const key = entryKey(clientId, address);
    if ((this.entries.get(key) ?? 0) < last) this.entries.set(key, last);
    return true;
  }

  /**
   * `clientId` authenticated from `address`: remembered, with one store write a day at most.
   * Null when there is nothing to write (most of the time: issuance awaits nothing then).
   */
  succeeded(clientId: string, address: string): Promise<void> | null {
    const now = this.#clock.now();
    const key = entryKey(clientId, address);
    const last = this.entries.get(key);
    if (last !== undefined && now - last < WRITE_EVERY_MS) return null;
    // Set before the write, so that parallel successes write once.
    this.entries.set(key, now);
    return this.#store.rememberClientAddress(clientId, address, now, WRITE_EVERY_MS).catch((error: unknown) => {
      if (this.entries.get(key) === now) {
        if (last === undefined) this.entries.delete(key);
        else this.entries.set(key, last);
      }
      throw error;
    });
  }
}

const entryKey = (clientId: string, address: string) => `${clientId}\u0000${address}`;
