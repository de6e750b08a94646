/**
 * A consistent copy of a live SQLite store, through SQLite's online backup API: pages are
 * copied in steps while the server keeps reading and writing (a write during the copy restarts
 * the copy of what changed), and the copy is one committed state, WAL included. Copying the
 * file with `cp` while the server runs can give a torn file, or one without the WAL's commits.
 */
import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';

/** Copies the store at `source` (which must exist) to `target` (which must not); resolves with the copy's size in pages. */
export async function backupSqliteStore(source: string, target: string): Promise<{ totalPages: number }> {
  if (existsSync(target)) throw new Error(`${target} exists: a backup never overwrites a file`);
  const db = new Database(source, { fileMustExist: true, readonly: true });
  try {
    db.pragma('busy_timeout = 5000');
    const { totalPages } = await db.backup(target);
    return { totalPages };
  } finally {
    db.close();
  }
}
