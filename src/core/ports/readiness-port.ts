/** What readiness and the metrics endpoint ask of the store (readiness.ts). Implemented by `src/store`. */
export interface ReadinessPort {
  /** Resolves when the database answers; throws StoreUnavailableError otherwise. */
  ping(): Promise<void>;
  /**
   * Resolves when the database takes a write now; throws otherwise (a lock held elsewhere past a
   * short wait, a read-only file or database). Writes no row: for start-up and readiness, not requests.
   */
  probeWrite(): Promise<void>;
  /** Its connections, read by the metrics endpoint at scrape; absent where there are none to watch (SQLite). */
  connectionState?(): ConnectionState;
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
