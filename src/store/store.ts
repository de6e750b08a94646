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
import type { AuthorizationCode, Client, ClientState, Group, IdleTokenTimeout, Organization, Role, SignInFailures, SignInSession, TokenRecord, User, UserState } from '../core/models.js';
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
   * Counts one failed sign-in under `key`, atomically (concurrent failures are all counted):
   * a failure more than `windowMs` after the window opened starts a new window at 1.
   */
  recordSignInFailure(key: string, now: number, windowMs: number): Promise<SignInFailures>;
  findSignInFailures(key: string): Promise<SignInFailures | null>;
  clearSignInFailures(key: string): Promise<void>;
  /** Deletes codes, rotations, sessions and throttle windows that ended before `before`. */
  deleteExpiredSignIns(before: number): Promise<void>;
}
