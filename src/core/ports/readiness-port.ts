/** What readiness asks of the store (readiness.ts). Implemented by `src/store`. */
export interface ReadinessPort {
  /** Resolves when the database answers; throws StoreUnavailableError otherwise. */
  ping(): Promise<void>;
  /**
   * Resolves when the database takes a write now; throws otherwise (a lock held elsewhere past a
   * short wait, a read-only file or database). Writes no row: for start-up and readiness, not requests.
   */
  probeWrite(): Promise<void>;
}
