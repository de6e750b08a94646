/** `tokend backup <file>`: a consistent copy of a live SQLite store (docs/operations.md, "Backups"). */
import { existsSync } from 'node:fs';
import type { Command } from '../args.js';
import { DATABASE_SECTION, databaseSetting } from '../admin-store.js';
import { isPostgresUrl } from '../../store/database-location.js';
import { CliError, notice, printJson } from '../output.js';

export const backupCommand: Command = {
  kind: 'command',
  name: 'backup',
  summary: 'Copy a SQLite store while the server runs (one consistent state; never overwrites).',
  details:
    'A PostgreSQL store is backed up with pg_dump. Restoring any backup brings back the tokens and sign-in sessions revoked after it was taken: ' +
    'run `tokend tokens revoke-all --yes` on the restored store before the server starts on it.',
  example: 'tokend backup ./tokend-backup.db --database ./data/tokend.db',
  args: ['<file>'],
  sections: [DATABASE_SECTION],
  async run({ values, positionals }, io) {
    const target = positionals[0] as string;
    const { database } = databaseSetting(values, io.env);
    if (isPostgresUrl(database)) throw new CliError('the store is PostgreSQL: back it up with pg_dump (docs/operations.md, "Backups")');
    if (!existsSync(database)) throw new CliError(`no database at ${database}: pass --database or set TOKEND_DATABASE to the store the server uses`);
    const { backupSqliteStore } = await import('../../store/sqlite/backup.js');
    let copied: { totalPages: number };
    try {
      copied = await backupSqliteStore(database, target);
    } catch (error) {
      throw new CliError(`backup of ${database} to ${target} failed: ${(error as Error).message}`);
    }
    printJson(io, { database, backup: target, pages: copied.totalPages });
    notice(io, `Copied ${database} to ${target}.`);
    return 0;
  },
};
