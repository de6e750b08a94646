/**
 * A read-through cache of organizations, clients and users, the entities every authenticated
 * request consults. Dropped whole by {@link Directory.invalidate} whenever this process changes
 * one of them, and before any read once the store reports a change made elsewhere
 * ({@link Store.changeVersion}): `/oauth/token` reads clients here without a bearer token, so
 * a client disabled or a secret rotated by the command line must not wait for the next API call.
 */
import type { Client, Organization, User } from './models.js';
import type { Store } from '../store/store.js';

export class Directory {
  readonly #store: Store;
  #organizations = new Map<string, Promise<Organization | null>>();
  #clients = new Map<string, Promise<Client | null>>();
  #users = new Map<string, Promise<User | null>>();
  #seenVersion: number;

  constructor(store: Store) {
    this.#store = store;
    this.#seenVersion = store.changeVersion();
  }

  organization(id: string): Promise<Organization | null> {
    this.#sync();
    return this.#cached(this.#organizations, id, () => this.#store.findOrganization(id));
  }
  client(id: string): Promise<Client | null> {
    this.#sync();
    return this.#cached(this.#clients, id, () => this.#store.findClient(id));
  }
  user(id: string): Promise<User | null> {
    this.#sync();
    return this.#cached(this.#users, id, () => this.#store.findUser(id));
  }

  invalidate(): void {
    this.#organizations = new Map();
    this.#clients = new Map();
    this.#users = new Map();
  }

  // Before the map is chosen (invalidate replaces the maps), and before any load begins, so a
  // load that overlapped a change is dropped by the next read's check.
  #sync(): void {
    const version = this.#store.changeVersion();
    if (version !== this.#seenVersion) {
      this.#seenVersion = version;
      this.invalidate();
    }
  }

  #cached<T>(map: Map<string, Promise<T | null>>, id: string, load: () => Promise<T | null>): Promise<T | null> {
    let entry = map.get(id);
    if (!entry) {
      entry = load();
      map.set(id, entry);
      // A failed load (store unreachable) must not be remembered.
      entry.catch(() => map.get(id) === entry && map.delete(id));
    }
    return entry;
  }
}
