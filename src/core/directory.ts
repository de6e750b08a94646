/**
 * A read-through cache of organizations, clients and users, the entities every authenticated
 * request consults. One entity is dropped when it is known to have changed (here, or on another
 * node that said which), and everything by {@link Directory.invalidate}, before any read once the
 * store reports a change made elsewhere without saying what
 * ({@link ChangesPort.changeVersion}): `/oauth/token` reads clients here without a bearer token, so
 * a client disabled or a secret rotated by the command line must not wait for the next API call.
 *
 * Only what exists is remembered, and at most {@link DIRECTORY_CACHE_SIZE} of each kind: every
 * id a caller sends (a `client_id` at /oauth/token) would otherwise stay in memory for good.
 * An unknown id is read from the store each time it is asked for, which costs far less than the
 * slow hash every unknown client id pays anyway (client-auth.ts).
 */
import { BoundedMap } from './bounded-map.js';
import type { Client, Organization, User } from './models.js';
import type { ChangesPort } from './ports/changes-port.js';
import type { DirectoryPort } from './ports/directory-port.js';

/** Most entities of each kind kept; a token already cached keeps its own references to them. */
export const DIRECTORY_CACHE_SIZE = 100_000;

export class Directory {
  readonly #store: DirectoryPort & ChangesPort;
  #organizations = newCache<Organization>();
  #clients = newCache<Client>();
  #users = newCache<User>();
  #seenVersion: number;

  constructor(store: DirectoryPort & ChangesPort) {
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

  /** This entity changed: read it afresh (a load under way is forgotten too). */
  organizationChanged(id: string): void {
    this.#organizations.delete(id);
  }
  clientChanged(id: string): void {
    this.#clients.delete(id);
  }
  userChanged(id: string): void {
    this.#users.delete(id);
  }

  /**
   * A role changed (rare: seeds write roles): every user and client is read afresh, since
   * which of them hold it is known only once their loads settle.
   */
  roleChanged(): void {
    this.#clients = newCache();
    this.#users = newCache();
  }

  invalidate(): void {
    this.#organizations = newCache();
    this.#clients = newCache();
    this.#users = newCache();
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

  /** How many entities of each kind are remembered (for the tests that flood them). */
  get sizes(): { organizations: number; clients: number; users: number } {
    return { organizations: this.#organizations.size, clients: this.#clients.size, users: this.#users.size };
  }

  #cached<T>(map: BoundedMap<string, Promise<T | null>>, id: string, load: () => Promise<T | null>): Promise<T | null> {
    let entry = map.get(id);
    if (!entry) {
      entry = load();
      map.set(id, entry);
      // Neither a failed load (store unreachable) nor an id that names nothing is remembered.
      const loading = entry;
      loading.then(
        (found) => found === null && map.get(id) === loading && map.delete(id),
        () => map.get(id) === loading && map.delete(id),
      );
    }
    return entry;
  }
}

function newCache<T>(): BoundedMap<string, Promise<T | null>> {
  return new BoundedMap(DIRECTORY_CACHE_SIZE);
}
