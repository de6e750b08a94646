/**
 * Where a test clock's offset is kept (core/test-clock.ts), so that every node of one database
 * moves together. Implemented by `src/store`; read only by a server started with test controls on.
 */
export interface TestClockPort {
  /** The stored offset in milliseconds (0 when none was ever set). */
  readClockOffset(): Promise<number>;
  /**
   * Stores the offset; where moves are watched, every node (this one included) is told, and the
   * promise resolves once this node's watchers have applied it.
   */
  writeClockOffset(offsetMs: number): Promise<void>;
  /** Adds to the stored offset in one statement (two nodes advancing at once add both); returns the new offset, told as above. */
  addClockOffset(deltaMs: number): Promise<number>;
  /**
   * Where several nodes serve one database (PostgreSQL): calls `listener` with each offset any
   * node stored, this node's own included, in the order the store made the moves. Absent on
   * SQLite, where one server serves the file.
   */
  watchClockOffset?(listener: (offsetMs: number) => void): void;
}
