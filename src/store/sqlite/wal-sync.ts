/**
 * A write that must survive a power loss is on disk before it is answered, without the event
 * loop waiting for the disk. SQLite's `synchronous = FULL` syncs the WAL inside the commit, on
 * this thread: every request stood still for the fsync of each revocation and admin write (about
 * 0.3-0.5 ms here; docs/performance.md, "The mixed workload"). Instead such a write commits as
 * every other one does (NORMAL: in the WAL, handed to the operating system) and its answer waits
 * for an fsync of the WAL file run on libuv's thread pool. What the answer promises is the same:
 * an fsync covers every byte written to the file before it began, whichever descriptor wrote
 * them, so once it returns the commit is on disk. A frame a checkpoint has meanwhile copied into
 * the database file is on disk too: in WAL mode SQLite syncs the WAL before a checkpoint and the
 * database file after it.
 *
 * Syncs run one at a time; commits that come while one runs share the next one, which begins
 * when it ends (it may have begun before they committed), so a burst of durable writes costs two
 * fsyncs, not one each.
 */
import { closeSync, fsync, openSync } from 'node:fs';

export class WalSync {
  readonly #walPath: string;
  #fd: number | null = null;
  /** The sync under way, if any. */
  #current: Promise<void> | null = null;
  /** The sync that begins when the current one ends, shared by every commit since it began. */
  #next: Promise<void> | null = null;
  /** Syncs begun, for tests and the metrics of a benchmark. */
  started = 0;

  /** `databasePath`: the database file; its WAL is the file beside it, named as SQLite names it. */
  constructor(databasePath: string) {
    this.#walPath = `${databasePath}-wal`;
  }

  /** Resolves once everything committed before the call is on disk. */
  afterCommit(): Promise<void> {
    if (this.#next !== null) return this.#next;
    if (this.#current === null) return this.#begin();
    const next = this.#current.then(
      () => this.#begin(),
      () => this.#begin(),
    );
    this.#next = next;
    return next;
  }

  #begin(): Promise<void> {
    this.#next = null;
    this.started++;
    const current = new Promise<void>((resolve, reject) => {
      // Opened at the first sync, once a commit has made the WAL: SQLite keeps the file (and its
      // inode) while a connection of this process is open, truncating it at most.
      this.#fd ??= openSync(this.#walPath, 'r');
      fsync(this.#fd, (error) => (error ? reject(error) : resolve()));
    }).finally(() => {
      if (this.#current === current) this.#current = null;
    });
    this.#current = current;
    return current;
  }

  /** Lets go of the WAL's descriptor, once the syncs under way returned. */
  async close(): Promise<void> {
    await this.#next?.catch(() => {});
    await this.#current?.catch(() => {});
    if (this.#fd !== null) closeSync(this.#fd);
    this.#fd = null;
  }
}
