/**
 * The one storage interface of tokend. Every backend (SQLite in `sqlite/`, PostgreSQL in
 * `postgres/`, both over the shared `sql/`) implements it and passes the same suite in `test/store/`. Methods are named for what they do, not CRUD.
 *
 * Concurrency rules (they hold for every backend, and for several processes on one database):
 * - Every method is atomic: a caller sees all of its change or none of it.
 * - {@link Store.applySeed} and the admin writes run in one transaction each.
 * - {@link Store.touchTokens} only moves `lastUsedAt` forward and never touches a revoked
 *   token: it cannot revive what a concurrent revoke ended.
 * - {@link Store.revokeToken} and {@link Store.revokeUserTokens} are idempotent and keep the
 *   first `revokedAt`.
 * - A store that cannot reach its database throws `StoreUnavailableError`.
 */
import type { Client, ClientState, Group, IdleTokenTimeout, Organization, Role, TokenRecord, User, UserState } from '../core/models.js';
import type { SeedPlan } from '../core/seed/plan.js';

export interface Store {
  /** Applies pending schema migrations; safe to call on every start. */
  migrate(): Promise<void>;
  /** Resolves when the database answers; throws StoreUnavailableError otherwise. */
  ping(): Promise<void>;
  close(): Promise<void>;

  /**
   * A number that changes whenever another process may have changed the data. Synchronous and
   * cheap, because it is read on every authenticated request: when it moves, caches are dropped.
   */
  changeVersion(): number;

  /**
   * Where several nodes serve one database (PostgreSQL): calls `listener` with the hash of every
   * token revoked by any of them, once the revocation has committed, so caches can drop just that
   * token. Absent where {@link changeVersion} alone tells of changes (SQLite).
   */
  watchRevocations?(listener: (tokenHash: string) => void): void;
  /**
   * True when other nodes may serve the same tokens: their last-use writes arrive in batches, so
   * an idle deadline seen as passed waits one flush interval before it revokes.
   */
  readonly sharedByNodes?: boolean;

  findOrganization(id: string): Promise<Organization | null>;
  findClient(id: string): Promise<Client | null>;
  findUser(id: string): Promise<User | null>;
  findUserByEmail(organizationId: string, email: string): Promise<User | null>;
  findRoles(ids: readonly string[]): Promise<Role[]>;
  listGroups(organizationId: string): Promise<Group[]>;
  listClients(organizationId?: string): Promise<Client[]>;

  /** Replaces an organization's idle token timeout; returns false when there is no such organization. */
  setIdleTokenTimeout(organizationId: string, timeout: IdleTokenTimeout): Promise<boolean>;
  /** Upserts everything a seed file names, in one transaction. */
  applySeed(plan: SeedPlan): Promise<void>;

  insertClient(client: Client): Promise<void>;
  setClientState(id: string, state: ClientState, at: number): Promise<boolean>;
  setClientSecretHash(id: string, secretHash: string, at: number): Promise<boolean>;
  insertUser(user: User): Promise<void>;
  setUserState(id: string, state: UserState, at: number): Promise<boolean>;
  setUserPasswordHash(id: string, passwordHash: string, at: number): Promise<boolean>;

  insertToken(token: TokenRecord): Promise<void>;
  findTokenByHash(hash: string): Promise<TokenRecord | null>;
  /** Moves `lastUsedAt` forward for each live token named (never backward, never on a revoked one). */
  touchTokens(touches: ReadonlyArray<{ hash: string; lastUsedAt: number }>): Promise<void>;
  /** Revokes one token; true if it was live until now. */
  revokeToken(hash: string, at: number): Promise<boolean>;
  /** Revokes every live access and refresh token of a user; returns how many. */
  revokeUserTokens(userId: string, at: number): Promise<number>;
  /** Revokes every live token of a family (one sign-in, across refresh rotations). */
  revokeFamily(familyId: string, at: number): Promise<number>;
  /** Deletes tokens that expired before `before`; returns how many. */
  deleteExpired(before: number): Promise<number>;
}
