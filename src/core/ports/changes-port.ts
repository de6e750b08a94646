/**
 * What the store tells of changes made by other processes and nodes, so the caches of core
 * (authenticator.ts, directory.ts, throttle/failure-marks.ts) drop what went stale. Implemented
 * by `src/store`.
 */

/**
 * One entity of the directory that changed (a link to a role or group is a change of its user or
 * client; a `group` change is of the group's own row, which nothing caches).
 */
export interface DirectoryChange {
  kind: 'organization' | 'client' | 'user' | 'role' | 'group';
  id: string;
}

export interface ChangesPort {
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
   * client, user, role or group changed by any of them, once the change has committed, so caches can
   * drop just what depends on it. A change that does not say what it was moves
   * {@link changeVersion} instead. Absent on SQLite, where {@link changeVersion} tells of every
   * change made by another process.
   */
  watchDirectory?(listener: (change: DirectoryChange) => void): void;
  /**
   * Where several nodes serve one database (PostgreSQL): calls `listener` with the throttle keys
   * another node (or this one) announced as holding a new failure ({@link AttemptsPort.announceFailures}).
   * While notifications cannot be trusted, {@link changeVersion} moves on every call instead.
   */
  watchFailures?(listener: (keys: readonly string[]) => void): void;
  /**
   * Where changes arrive by notification (PostgreSQL): calls `listener` with false when the
   * notification connection is lost (caches are then bypassed: every request reads the
   * database) and with true when it is back, so that an operator hears of both.
   */
  watchNotifications?(listener: (connected: boolean) => void): void;
  /**
   * True when other nodes may serve the same tokens: their last-use writes arrive in batches, so
   * an idle deadline seen as passed waits one flush interval before it revokes.
   */
  readonly sharedByNodes?: boolean;
}
