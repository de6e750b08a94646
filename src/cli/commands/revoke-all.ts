/** `tokend tokens revoke-all --yes`: ends everyone's access in the store (after restoring a backup). */
import type { Command } from '../args.js';
import { DATABASE_SECTION, withCore } from '../admin-store.js';
import { reportEnded } from '../admin-report.js';
import { CliError, printJson } from '../output.js';

export const revokeAll: Command = {
  kind: 'command',
  name: 'revoke-all',
  audited: true,
  summary: 'Revoke every token and end every sign-in session in the store (admin, no API call; asks for --yes).',
  details:
    'For a store restored from a backup: the restore brought back every token and session revoked after the backup was taken. ' +
    'Every service and person gets a new token (clients and users stay as they are). Prints how many were live.',
  example: 'tokend tokens revoke-all --yes --database ./data/tokend.db',
  sections: [DATABASE_SECTION],
  options: { yes: { type: 'boolean', description: 'confirm: every token and sign-in session of every organization ends' } },
  async run({ values }, io) {
    if (values.yes !== true) throw new CliError('revoke-all ends every token and sign-in session in the store: add --yes to go ahead');
    const ended = await withCore(values, io.env, (core) => core.endAllAccess());
    printJson(io, ended);
    reportEnded(io, "Revoked everyone's access", ended);
    return 0;
  },
};
