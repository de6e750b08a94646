/** `tokend tokens revoke-user <userId>`: ends every token of a user in the store, without a token of one's own. */
import type { Command } from '../args.js';
import { DATABASE_SECTION, withStore } from '../admin-store.js';
import { CliError, printJson } from '../output.js';

export const revokeUser: Command = {
  kind: 'command',
  name: 'revoke-user',
  summary: 'Revoke every token of a user in the server store (admin, no API call).',
  details: 'A running server refuses those tokens from its next request on. Prints how many were live.',
  example: 'tokend tokens revoke-user 8a3c54d2-0b1e-4b8e-9f7a-2f6c1d9e4b10 --database ./data/tokend.db',
  args: ['<userId>'],
  sections: [DATABASE_SECTION],
  async run({ values, positionals }, io) {
    const userId = positionals[0] as string;
    const revokedTokens = await withStore(values, io.env, async (store) => {
      if (!(await store.findUser(userId))) throw new CliError(`no user with the id ${userId}`);
      return store.revokeUserTokens(userId, Date.now());
    });
    printJson(io, { userId, revokedTokens });
    return 0;
  },
};
