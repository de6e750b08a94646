/**
 * `tokend users ...`: users in the server store, through the admin core (src/core/admin/users.ts,
 * which decides); this file only reads flags and prints. Passwords are read, hashed, never printed.
 */
import { createUser, isEmailAddress, resetPassword, setUserState } from '../../core/admin/users.js';
import type { UserState } from '../../core/models.js';
import { type Command, type Group, listValue, type OptionSpecs, requiredValue, UsageError } from '../args.js';
import { DATABASE_SECTION, findOrganization, findRoles, isoDate, withCore } from '../admin-store.js';
import { reportEnded } from '../admin-report.js';
import { printJson } from '../output.js';
import { checkSecretFlags, readSecret, type SecretSource } from '../secret-input.js';
import { deleteUser, ORG_OPTION, personOf, searchPeople, updateUser, userRolesGroup } from './user-changes.js';
import { usersList } from './users-list.js';

const PASSWORD: SecretSource = { flag: 'password', stdinFlag: 'password-stdin', label: 'Password' };
const PASSWORD_OPTIONS: OptionSpecs = {
  password: {
    type: 'string',
    value: 'PASSWORD',
    description: 'the password (visible to other local users: prefer the next)',
    secret: { instead: '--password-stdin' },
  },
  'password-stdin': { type: 'boolean', description: 'read the password from stdin (one line); at a terminal it is asked for' },
};

const create: Command = {
  kind: 'command',
  name: 'create',
  audited: true,
  summary: 'Create a user (password grant sign-in); never prints the password.',
  example: 'printf %s "$PASSWORD" | tokend users create --org Demo --name "Ada Lovelace" --email ada@demo.example --password-stdin --role Employee',
  options: {
    org: { type: 'string', value: 'ID|NAME', description: 'the organization (required)' },
    name: { type: 'string', value: 'NAME', description: 'the display name (required)' },
    email: { type: 'string', value: 'EMAIL', description: 'the email, the username of the password grant (required)' },
    role: { type: 'string', multiple: true, value: 'ID|NAME', description: 'a role of the organization (repeat, or separate with commas)' },
    ...PASSWORD_OPTIONS,
  },
  sections: [DATABASE_SECTION],
  async run({ values }, io) {
    const org = requiredValue(values, 'org');
    const name = requiredValue(values, 'name');
    const email = requiredValue(values, 'email');
    // Checked before the password is asked for, with the core's own rule.
    if (!isEmailAddress(email)) throw new UsageError(`--email ${email} is not an email address`);
    const password = await readSecret(values, io, PASSWORD);
    const shown = await withCore(values, io.env, async (core) => {
      const organization = await findOrganization(core, org);
      const roles = await findRoles(core, organization, listValue(values, 'role'));
      const { user } = await createUser(core.users.deps, { organizationId: organization.id, name, email, password, roleIds: roles.map((role) => role.id) });
      return {
        id: user.id,
        name,
        email,
        organization: { id: organization.id, name: organization.name },
        state: user.state,
        roles: roles.map((role) => ({ id: role.id, name: role.name })),
        dateCreated: isoDate(user.dateCreated),
      };
    });
    printJson(io, shown);
    return 0;
  },
};

function setState(name: string, state: UserState, summary: string): Command {
  return {
    kind: 'command',
    name,
    audited: true,
    summary,
    example: `tokend users ${name} 0a9c7d52-1e2b-4f3c-8d4e-5f6a7b8c9d02`,
    args: ['<userId|email>'],
    options: ORG_OPTION,
    sections: [DATABASE_SECTION],
    async run({ values, positionals }, io) {
      const { id, ended } = await withCore(values, io.env, async (core) => {
        const { user } = await personOf(core, values, positionals[0] as string);
        return { id: user.id, ended: await setUserState(core.users.deps, user.id, state) };
      });
      if (state === 'active') {
        printJson(io, { id, state });
        reportEnded(io, `Enabled user ${id}`, {}, 'sessions and tokens ended before stay ended');
      } else {
        printJson(io, { id, state, ...ended });
        reportEnded(io, `Disabled user ${id}`, ended);
      }
      return 0;
    },
  };
}

const setPassword: Command = {
  kind: 'command',
  name: 'set-password',
  audited: true,
  summary: "Set a user's password.",
  details:
    "Ends the user's sign-in sessions (every browser signs in again, with the new password). Their tokens stay valid: tokend tokens revoke-user ends them.",
  example: 'printf %s "$NEW_PASSWORD" | tokend users set-password 0a9c7d52-1e2b-4f3c-8d4e-5f6a7b8c9d02 --password-stdin',
  args: ['<userId|email>'],
  options: { ...ORG_OPTION, ...PASSWORD_OPTIONS },
  sections: [DATABASE_SECTION],
  async run({ values, positionals }, io) {
    checkSecretFlags(values, PASSWORD);
    // Checked before asking, so nobody types a password for a user that is not there.
    const id = await withCore(values, io.env, async (core) => (await personOf(core, values, positionals[0] as string)).user.id);
    const password = await readSecret(values, io, PASSWORD);
    const reset = await withCore(values, io.env, (core) => resetPassword(core.users.deps, id, password));
    printJson(io, { id, passwordChanged: true, ...reset });
    reportEnded(io, `Set the password of user ${id}`, reset, 'their tokens stay valid (tokend tokens revoke-user ends them)');
    return 0;
  },
};

export const usersGroup: Group = {
  kind: 'group',
  name: 'users',
  summary: 'Users in the server store (admin: acts on TOKEND_DATABASE, no API call).',
  example: 'tokend users list --org Demo --email sam@demo.example --ids',
  children: [
    usersList,
    create,
    setState('disable', 'inactive', 'Disable a user: end their sign-in sessions and revoke all of their tokens.'),
    setState('enable', 'active', 'Enable a disabled user again (ended sessions and revoked tokens stay so).'),
    setPassword,
    updateUser,
    deleteUser,
    userRolesGroup,
    searchPeople,
  ],
};
