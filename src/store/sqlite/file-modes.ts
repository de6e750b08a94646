/**
 * Who may read a SQLite store: the file holds the hash of every client secret, password and
 * token, so any local user who can copy it can guess at them offline. tokend creates the folders
 * it needs readable by its user alone (0700) and the file 0600 before SQLite opens it; SQLite
 * gives the `-wal` and `-shm` files it makes the database file's mode, so they follow. What
 * tokend did not create it leaves as it is, and says so at start ({@link storeExposure}).
 */
import { closeSync, existsSync, mkdirSync, openSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

export const PRIVATE_FILE_MODE = 0o600;
export const PRIVATE_FOLDER_MODE = 0o700;

/** Read or write bits of the group and of others: anyone but the owner. */
const NOT_OWNER = 0o066;
/** Read or write bits of others. */
const OTHERS = 0o006;

/**
 * Creates the missing folders of `path` (0700; an existing one is never changed) and, when it
 * does not exist, `path` itself, empty and 0600. Another process creating it first is no
 * failure; a folder where the file should be is left for SQLite to refuse.
 */
export function createPrivateFile(path: string): void {
  mkdirSync(dirname(path), { recursive: true, mode: PRIVATE_FOLDER_MODE });
  let fd: number;
  try {
    fd = openSync(path, 'wx', PRIVATE_FILE_MODE);
  } catch (error) {
    if ((error as { code?: unknown }).code === 'EEXIST') return;
    throw error;
  }
  closeSync(fd);
}

const octal = (mode: number) => `0${(mode & 0o777).toString(8)}`;

/**
 * What other users may do to the store at `database` (a SQLite file path), as one warning
 * each: its folder readable or writable by others, the file, its WAL or its shared memory
 * readable or writable by anyone but the owner. Empty when nothing is exposed.
 */
export function storeExposure(database: string): string[] {
  const file = resolve(database);
  const folder = dirname(file);
  const warnings: string[] = [];
  const folderMode = statSync(folder).mode;
  if ((folderMode & OTHERS) !== 0) {
    warnings.push(
      `the store's folder ${folder} is ${(folderMode & 0o002) !== 0 ? 'writable' : 'readable'} by other users (mode ${octal(folderMode)}): ` +
        `the store holds the hash of every secret; make it readable by tokend's user alone (chmod 700 ${folder}); tokend does not change a folder it did not create`,
    );
  }
  const open = [file, `${file}-wal`, `${file}-shm`]
    .filter((path) => existsSync(path))
    .map((path) => ({ path, mode: statSync(path).mode }))
    .filter(({ mode }) => (mode & NOT_OWNER) !== 0);
  if (open.length > 0) {
    const named = open.map(({ path, mode }) => `${path} (mode ${octal(mode)})`).join(', ');
    warnings.push(`the store's files are open to other users: ${named}; they hold the hash of every secret: chmod 600 ${file}*`);
  }
  return warnings;
}
