/**
 * A read-through cache of organizations, clients and users, the entities every authenticated
 * request consults. Dropped whole by {@link Directory.invalidate} whenever this process changes
 * one of them or the store reports a change made elsewhere.
 */
import type { Client, Organization, User } from './models.js';
import type { Store } from '../store/store.js';

export class Directory {
  readonly #store: Store;
  #organizations = new Map<string, Promise<Organization | null>>();
  #clients = new Map<string, Promise<Client | null>>();
  #users = new Map<string, Promise<User | null>>();

  constructor(store: Store) {
    this.#store = store;
  }

  organization(id: string): Promise<Organization | null> {
    return this.#cached(this.#organizations, id, () => this.#store.findOrganization(id));
  }
  client(id: string): Promise<Client | null> {
    return this.#cached(this.#clients, id, () => this.#store.findClient(id));
  }
  user(id: string): Promise<User | null> {
    return this.#cached(this.#users, id, () => this.#store.findUser(id));
  }

  invalidate(): void {
    this.#organizations = new Map();
    this.#clients = new Map();
    this.#users = new Map();
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
