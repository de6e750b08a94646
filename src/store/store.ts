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
 * - Revocations and admin writes resolve once they would survive a power loss; token inserts,
 *   last use and sign-in bookkeeping once they would survive a crash of the process
 *   (`Survives` in sql/sql-store.ts; README, "Durability").
 * - Browser sign-in (codes, refresh rotation, sessions, throttling) has its own rules on each
 *   method below; the two races that matter are single-use codes ({@link Store.consumeCode})
 *   and refresh rotation ({@link Store.rotateRefreshToken}): of N callers racing on one code
 *   or one refresh token, on any number of nodes, exactly one wins.
 */
import type { AuthorizationCode, Client, ClientState, Group, IdleTokenTimeout, Organization, Role, SignInDevice, SignInFailures, SignInSession, TokenRecord, User, UserState } from '../core/models.js';
import type { SeedEntityKind, SeedPlan } from '../core/seed/plan.js';

/** What disabling a user, or ending their access, ended: the admin command reports it. */
export interface UserAccessEnded {
  endedSessions: number;
  revokedTokens: number;
}

/** One entity of the directory that changed (a link to a role or group is a change of its user or client). */
export interface DirectoryChange {
  kind: 'organization' | 'client' | 'user' | 'role';
  id: string;
}

export interface Store {
  /** Applies pending schema migrations; safe to call on every start. */
  migrate(): Promise<void>;
  /** Resolves when the database answers; throws StoreUnavailableError otherwise. */
  ping(): Promise<void>;
  /**
   * Resolves when the database takes a write now; throws otherwise (a lock held elsewhere past a
   * short wait, a read-only file or database). Writes no row: for start-up and readiness, not requests.
   */
  probeWrite(): Promise<void>;
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
   * Where several nodes serve one database (PostgreSQL): calls `listener` with each organization,
   * client, user or role changed by any of them, once the change has committed, so caches can
   * drop just what depends on it. A change that does not say what it was moves
   * {@link changeVersion} instead. Absent on SQLite, where {@link changeVersion} tells of every
   * change made by another process.
   */
  watchDirectory?(listener: (change: DirectoryChange) => void): void;
  /**
   * True when other nodes may serve the same tokens: their last-use writes arrive in batches, so
   * an idle deadline seen as passed waits one flush interval before it revokes.
   */
  readonly sharedByNodes?: boolean;
  /** Its connections, read by the metrics endpoint at scrape; absent where there are none to watch (SQLite). */
  connectionState?(): ConnectionState;

  findOrganization(id: string): Promise<Organization | null>;
  /** By name, ignoring case (the sign-in page's organization field). */
  findOrganizationByName(name: string): Promise<Organization | null>;
  findClient(id: string): Promise<Client | null>;
  findUser(id: string): Promise<User | null>;
  findUserByEmail(organizationId: string, email: string): Promise<User | null>;
  findRoles(ids: readonly string[]): Promise<Role[]>;
  /** An organization's roles by name, so the admin command line can resolve `--role` names. */
  listRoles(organizationId: string): Promise<Role[]>;
  listGroups(organizationId: string): Promise<Group[]>;
  listClients(organizationId?: string): Promise<Client[]>;
  /** Every organization, by name: the admin command line's `orgs list`. */
  listOrganizations(): Promise<Organization[]>;
  /** Users (with their role and group ids), of one organization or all, by organization and email: `users list`. */
  listUsers(organizationId?: string): Promise<User[]>;

  /** Replaces an organization's idle token timeout; returns false when there is no such organization. */
  setIdleTokenTimeout(organizationId: string, timeout: IdleTokenTimeout): Promise<boolean>;
  /**
   * Upserts everything a seed file names, remembers the fields it applied, and ends the access
   * of the users and clients it disables, all in one transaction. Returns what it ended.
   */
  applySeed(plan: SeedPlan): Promise<UserAccessEnded>;
  /** The fields a seed last applied to an entity: field name to value (seed plan.ts, AppliedField). */
  findSeedApplied(kind: SeedEntityKind, id: string): Promise<Map<string, string | null>>;

  /** Creates a role or replaces its name and permissions (src/core/admin/roles.ts decides). */
  saveRole(role: Role): Promise<void>;
  /**
   * Deletes a role, in one transaction: takes it from every user and client that holds it, then
   * removes it. False when there is no such role.
   */
  deleteRole(id: string): Promise<boolean>;
  /** Creates a group or renames it; with `memberIds`, they replace its members in the same transaction. */
  saveGroup(group: Group, memberIds: readonly string[] | null): Promise<void>;
  /** Deletes a group and its memberships, in one transaction. False when there is no such group. */
  deleteGroup(id: string): Promise<boolean>;

  insertClient(client: Client): Promise<void>;
  /**
   * Sets a client's state; null when there is no such client. Any state but `active` also, in
   * the same transaction, revokes every live token of the client (access and refresh, so its
   * refresh families end) and burns its unredeemed codes: enabling it later brings none back.
   */
  setClientState(id: string, state: ClientState, at: number): Promise<{ revokedTokens: number } | null>;
  /** Replaces a client's secret hash; `by` (a user or client id) becomes its `modifiedBy` when given. */
  setClientSecretHash(id: string, secretHash: string, at: number, by?: string | null): Promise<boolean>;
  /** One page of an organization's clients, ordered by name then id. */
  listClientsPage(organizationId: string, offset: number, limit: number): Promise<Client[]>;
  countClients(organizationId: string): Promise<number>;
  /**
   * Replaces what an admin may change of a client (name, description, grant type, scopes,
   * redirect URIs, roles, lifetime, state, modification), never its secret; null when there is
   * no such client. A state but `active` also ends its access in the same transaction, as
   * {@link setClientState} does.
   */
  updateClient(client: Client): Promise<{ revokedTokens: number } | null>;
  /**
   * Deletes a client, in one transaction: revokes every live token of it (refresh families
   * included), burns its unredeemed codes, removes its row and roles, and leaves a tombstone
   * ({@link isClientDeleted}) so that a seed that does not change it does not bring it back.
   * Null when there is no such client.
   */
  deleteClient(id: string, at: number): Promise<{ revokedTokens: number } | null>;
  /** Whether an admin deleted this client (and no seed has written it since). */
  isClientDeleted(id: string): Promise<boolean>;
  /**
   * Revokes every live token of a client; returns how many. Scans the tokens table: there is
   * deliberately no index by client (each index is paid by every issuance).
   */
  revokeClientTokens(clientId: string, at: number): Promise<number>;
  insertUser(user: User): Promise<void>;
  /**
   * Sets a user's state; null when there is no such user. Any state but `active` also, in the
   * same transaction, ends every live sign-in session of the user and revokes every live token:
   * enabling the user later brings none of them back.
   */
  setUserState(id: string, state: UserState, at: number): Promise<UserAccessEnded | null>;
  /** Replaces a password hash alone (sessions stay): for a rehash, not an admin's reset. */
  setUserPasswordHash(id: string, passwordHash: string, at: number): Promise<boolean>;
  /**
   * An admin's password reset: replaces the hash and, in the same transaction, ends every live
   * sign-in session of the user (their tokens stay). Null when there is no such user.
   */
  resetUserPassword(id: string, passwordHash: string, at: number): Promise<{ endedSessions: number } | null>;
  /** Ends every live sign-in session of a user and revokes every live token, in one transaction. */
  endUserAccess(userId: string, at: number): Promise<UserAccessEnded>;
  /**
   * Ends everyone's access in one transaction: every live token (refresh families included),
   * every sign-in session and every unredeemed authorization code. For a restored backup, which
   * brings back what was revoked after it was taken.
   */
  endAllAccess(at: number): Promise<UserAccessEnded>;

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

  // --- Browser sign-in --------------------------------------------------------------------

  /** A user's live tokens (access and refresh, not revoked, expiring after `now`), newest first. */
  listUserTokens(userId: string, now: number): Promise<TokenRecord[]>;
  /**
   * Refresh rotation, atomically: retires (revokes) the live, unexpired refresh token `hash`
   * and inserts `replacements` in the same transaction. Returns true for the one caller that
   * retired it; every other caller, racing or late, on any node, gets false and nothing of
   * theirs is inserted. `replacements[0]` must be the new access token (its hash names the
   * winner).
   * Because the replacements commit with the consumption, a loser that then revokes the family
   * (reuse detection) also reaches the winner's new tokens.
   */
  rotateRefreshToken(hash: string, now: number, replacements: readonly TokenRecord[]): Promise<boolean>;

  insertCode(code: AuthorizationCode): Promise<void>;
  findCode(hash: string): Promise<AuthorizationCode | null>;
  /**
   * Redeems a code, atomically: marks it consumed (recording `familyId`), inserts `tokens` and
   * links the family to the code's sign-in session, all in one transaction. Exactly one of N
   * racing callers gets true; the others get false and insert nothing. With no tokens it only
   * burns the code (a failed redemption still uses it up).
   */
  consumeCode(hash: string, now: number, familyId: string | null, tokens: readonly TokenRecord[]): Promise<boolean>;
  /** Revokes every live token issued from a code (and rotated from those); returns how many. */
  revokeCodeTokens(codeHash: string, at: number): Promise<number>;

  insertSession(session: SignInSession): Promise<void>;
  findSession(hash: string): Promise<SignInSession | null>;
  /** Records that a token family was issued through a session, so ending the session ends it. Idempotent. */
  linkSessionFamily(sessionHash: string, familyId: string): Promise<void>;
  /**
   * Ends a session and, in the same transaction, revokes the live tokens of every family linked
   * to it. Returns the linked family ids (so callers can drop cached tokens). Idempotent.
   */
  endSession(hash: string, at: number): Promise<string[]>;
  /** Ends every live session of a user; returns how many. Tokens are revoked separately. */
  endUserSessions(userId: string, at: number): Promise<number>;

  /**
   * Reserves one attempt under `key`, atomically, before the slow hash that decides it: while
   * fewer than `limit` attempts are counted in the key's window, counts this one and returns the
   * window; at the limit counts nothing and returns null. Of N racing callers, on any number of
   * nodes, at most `limit` get a window. A window `windowMs` old or older restarts at 1.
   */
  reserveAttempt(key: string, now: number, windowMs: number, limit: number): Promise<SignInFailures | null>;
  /** Gives one reserved attempt back (it was not a failure); only within the window it was reserved in. */
  releaseAttempt(key: string, windowStartedAt: number): Promise<void>;
  findSignInFailures(key: string): Promise<SignInFailures | null>;
  clearSignInFailures(key: string): Promise<void>;
  insertDevice(device: SignInDevice): Promise<void>;
  findDevice(hash: string): Promise<SignInDevice | null>;
  /** Deletes codes, rotations, sessions, devices and throttle windows that ended before `before`. */
  deleteExpiredSignIns(before: number): Promise<void>;
}

/** A PostgreSQL store's connections: its pool, and the LISTEN connection that tells of other nodes' changes. */
export interface ConnectionState {
  /** Pooled connections open, idle among them, and queries waiting for one. */
  poolTotal: number;
  poolIdle: number;
  poolWaiting: number;
  /** Whether the notification (LISTEN) connection is up and trusted now. */
  notificationsConnected: boolean;
  /** Times it connected again after losing its connection. */
  notificationReconnects: number;
}
