/** The `tokend` command tree; each command returns its exit code (0 or 1). */
import type { Group, Io } from './args.js';
import { backupCommand } from './commands/backup.js';
import { clientsGroup } from './commands/clients.js';
import { divisionsGroup } from './commands/divisions.js';
import { grantsGroup } from './commands/grants.js';
import { groupsGroup } from './commands/groups.js';
import { orgsGroup } from './commands/orgs.js';
import { profileGroup } from './commands/profile.js';
import { idpGroup } from './commands/idp.js';
import { rolesGroup } from './commands/roles.js';
import { seedCommand, serveCommand } from './commands/server.js';
import { testGroup } from './commands/test-controls.js';
import { tokensGroup } from './commands/tokens.js';
import { usersGroup } from './commands/users.js';
import { dispatch } from './dispatch.js';

export { UsageError } from './args.js';

export const ROOT: Group = {
  kind: 'group',
  name: 'tokend',
  summary: 'A self-hosted OAuth token service that speaks the Genesys Cloud Tokens API.',
  example:
    'printf %s demo-service-secret-change-me | tokend tokens me get --url http://localhost:8080 --client-id 3f1c2b7a-9d8e-4a6b-8c5d-2e1f0a9b8c01 --client-secret-stdin',
  children: [
    serveCommand,
    seedCommand,
    backupCommand,
    tokensGroup,
    profileGroup,
    orgsGroup,
    clientsGroup,
    usersGroup,
    rolesGroup,
    groupsGroup,
    divisionsGroup,
    grantsGroup,
    idpGroup,
    testGroup,
  ],
};

export async function runCli(argv: string[], env: NodeJS.ProcessEnv, io: Partial<Io> = {}): Promise<number> {
  return dispatch(ROOT, argv, { env, stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, ...io });
}
