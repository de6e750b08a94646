/**
 * A consistent copy of a live SQLite store, through SQLite's online backup API: pages are
 * copied in steps while the server keeps reading and writing (a write during the copy restarts
 * the copy of what changed), and the copy is one committed state, WAL included. Copying the
 * file with `cp` while the server runs can give a torn file, or one without the WAL's commits.
 */
import { closeSync, openSync, rmSync } from 'node:fs';
import Database from 'better-sqlite3';
import { PRIVATE_FILE_MODE } from './file-modes.js';

/** Copies the store at `source` (which must exist) to `target` (which must not); resolves with the copy's size in pages. */
export async function backupSqliteStore(source: string, target: string): Promise<{ totalPages: number }> {
  const db = new Database(source, { fileMustExist: true, readonly: true });
  try {
    db.pragma('busy_timeout = 5000');
    // Created empty and 0600 before SQLite writes it (a backup holds every hash the store does);
    // `wx` also refuses a file that exists, whoever made it in the meantime.
    try {
      closeSync(openSync(target, 'wx', PRIVATE_FILE_MODE));
    } catch (error) {
      if ((error as { code?: unknown }).code === 'EEXIST') throw new Error(`${target} exists: a backup never overwrites a file`);
      throw error;
    }
    try {
      const { totalPages } = await db.backup(target);
      return { totalPages };
    } catch (error) {
      rmSync(target, { force: true });
      throw error;
    }
  } finally {
    db.close();
  }
}
