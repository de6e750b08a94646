/** `tokend tokens revoke-user <userId|email>`: ends every token of a user in the store, without a token of one's own. */
import type { Command } from '../args.js';
import { DATABASE_SECTION, withCore } from '../admin-store.js';
import { reportEnded } from '../admin-report.js';
import { endUserAccess } from '../../core/admin/users.js';
import { printJson } from '../output.js';
import { ORG_OPTION, personOf } from './user-changes.js';

export const revokeUser: Command = {
  kind: 'command',
  name: 'revoke-user',
  audited: true,
  summary: 'Revoke every token of a user and end their sign-in sessions (admin, no API call).',
  details: 'A running server refuses those tokens from its next request on, and every browser of the user signs in again. Prints how many were live.',
  example: 'tokend tokens revoke-user 0a9c7d52-1e2b-4f3c-8d4e-5f6a7b8c9d02 --database ./data/tokend.db',
  args: ['<userId|email>'],
  options: ORG_OPTION,
  sections: [DATABASE_SECTION],
  async run({ values, positionals }, io) {
    const { userId, ended } = await withCore(values, io.env, async (core) => {
      const { user } = await personOf(core, values, positionals[0] as string);
      return { userId: user.id, ended: await endUserAccess(core.users.deps, user.id) };
    });
    printJson(io, { userId, ...ended });
    reportEnded(io, `Revoked the access of user ${userId}`, ended);
    return 0;
  },
};
