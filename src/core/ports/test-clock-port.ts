/**
 * Where a test clock's offset is kept (core/test-clock.ts), so that every node of one database
 * moves together. Implemented by `src/store`; read only by a server started with test controls on.
 */
export interface TestClockPort {
  /** The stored offset in milliseconds (0 when none was ever set). */
  readClockOffset(): Promise<number>;
  /** Stores the offset; on PostgreSQL every node (this one included) is told once it commits. */
  writeClockOffset(offsetMs: number): Promise<void>;
  /** Adds to the stored offset in one statement (two nodes advancing at once add both); returns the new offset. */
  addClockOffset(deltaMs: number): Promise<number>;
  /**
   * Where several nodes serve one database (PostgreSQL): calls `listener` with each offset any
   * node stored. Absent on SQLite, where one server serves the file.
   */
  watchClockOffset?(listener: (offsetMs: number) => void): void;
}
