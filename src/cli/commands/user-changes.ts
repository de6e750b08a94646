/**
 * `tokend users update | delete | roles get | roles set | search`: the users API's changes, on
 * the same admin core (core/admin/user-admin.ts) as the API, as an operator with the store in
 * hand (no role rule: the command line may touch anyone). Every command that takes a person
 * takes an id or an email (with --org where two organizations have that email).
 */
import type { UserAdmin } from '../../core/admin/user-admin.js';
import { searchUsers } from '../../core/admin/user-search.js';
import type { Role, UserRecord, UserState } from '../../core/models.js';
import type { Services } from '../../core/services.js';
import { type Command, type Group, listValue, type OptionSpecs, stringValue, UsageError, type Values } from '../args.js';
import { reportEnded } from '../admin-report.js';
import { DATABASE_SECTION, findOrganization, findRoles, isoDate, withCore } from '../admin-store.js';
import { printJson } from '../output.js';

export const ORG_OPTION: OptionSpecs = {
  org: { type: 'string', value: 'ID|NAME', description: "the person's organization (needed when two organizations have the email)" },
};

/** The person a command names by id or email, and the admin core over the store. */
export async function personOf(core: Services, values: Values, reference: string): Promise<{ users: UserAdmin; user: UserRecord }> {
  const users = core.users;
  const org = stringValue(values, 'org');
  const organization = org === undefined ? null : await findOrganization(core, org);
  return { users, user: await users.find(reference, organization) };
}

const shown = (user: UserRecord, roles?: readonly Role[]) => ({
  id: user.id,
  name: user.name,
  email: user.email,
  state: user.state,
  version: user.version,
  ...(roles ? { roles: roles.map((role) => ({ id: role.id, name: role.name })) } : {}),
  dateModified: isoDate(user.dateModified),
});

const STATES: readonly string[] = ['active', 'inactive', 'deleted'];

export const updateUser: Command = {
  kind: 'command',
  name: 'update',
  audited: true,
  summary: 'Change a person: name, email, state (inactive or deleted ends their access; active restores).',
  example: 'tokend users update ada@demo.example --org Demo --name "Ada King"',
  args: ['<userId|email>'],
  options: {
    ...ORG_OPTION,
    name: { type: 'string', value: 'NAME', description: 'the new display name' },
    email: { type: 'string', value: 'EMAIL', description: 'the new email (the username of the password grant)' },
    state: { type: 'string', value: 'STATE', description: 'active, inactive or deleted' },
  },
  sections: [DATABASE_SECTION],
  async run({ values, positionals }, io) {
    const name = stringValue(values, 'name');
    const email = stringValue(values, 'email');
    const state = stringValue(values, 'state');
    if (state !== undefined && !STATES.includes(state)) throw new UsageError(`--state must be one of ${STATES.join(', ')}, not ${state}`);
    if (name === undefined && email === undefined && state === undefined) throw new UsageError('nothing to change: give --name, --email or --state');
    const { user, ended } = await withCore(values, io.env, async (core) => {
      const { users, user } = await personOf(core, values, positionals[0] as string);
      const organization = await findOrganization(core, user.organizationId);
      const change = {
        ...(name === undefined ? {} : { name }),
        ...(email === undefined ? {} : { email }),
        ...(state === undefined ? {} : { state: state as UserState }),
      };
      return users.update(organization, user.id, change, null, null);
    });
    printJson(io, { ...shown(user), ...ended });
    if (ended.endedSessions + ended.revokedTokens > 0) reportEnded(io, `Changed user ${user.id}`, ended);
    return 0;
  },
};

export const deleteUser: Command = {
  kind: 'command',
  name: 'delete',
  audited: true,
  summary: 'Delete a person: every token and sign-in session of theirs ends at once; `update --state active` restores them.',
  example: 'tokend users delete ada@demo.example --org Demo',
  args: ['<userId|email>'],
  options: ORG_OPTION,
  sections: [DATABASE_SECTION],
  async run({ values, positionals }, io) {
    const { user, ended } = await withCore(values, io.env, async (core) => {
      const { users, user } = await personOf(core, values, positionals[0] as string);
      return users.delete(await findOrganization(core, user.organizationId), user.id, null);
    });
    printJson(io, { id: user.id, email: user.email, state: 'deleted', ...ended });
    reportEnded(io, `Deleted user ${user.id}`, ended);
    return 0;
  },
};

const getRoles: Command = {
  kind: 'command',
  name: 'get',
  summary: "A person's roles and the permissions they grant.",
  example: 'tokend users roles get sam@demo.example --org Demo',
  args: ['<userId|email>'],
  options: ORG_OPTION,
  sections: [DATABASE_SECTION],
  async run({ values, positionals }, io) {
    const { user, roles } = await withCore(values, io.env, async (core) => {
      const { users, user } = await personOf(core, values, positionals[0] as string);
      return { user, roles: await users.rolesOf(user) };
    });
    printJson(io, { ...shown(user, roles), permissions: [...new Set(roles.flatMap((role) => role.permissions))].sort() });
    return 0;
  },
};

const setRoles: Command = {
  kind: 'command',
  name: 'set',
  audited: true,
  summary: "Replace a person's roles (none given: no role); their tokens carry the new permissions from their next request.",
  example: 'tokend users roles set ada@demo.example --org Demo --role Employee',
  args: ['<userId|email>'],
  options: {
    ...ORG_OPTION,
    role: { type: 'string', multiple: true, value: 'ID|NAME', description: 'a role of the organization (repeat, or separate with commas)' },
  },
  sections: [DATABASE_SECTION],
  async run({ values, positionals }, io) {
    const { user, roles } = await withCore(values, io.env, async (core) => {
      const { users, user } = await personOf(core, values, positionals[0] as string);
      const organization = await findOrganization(core, user.organizationId);
      const wanted = await findRoles(core, organization, listValue(values, 'role'));
      return users.setRoles(
        organization,
        user.id,
        wanted.map((role) => role.id),
        null,
      );
    });
    printJson(io, shown(user, roles));
    return 0;
  },
};

export const userRolesGroup: Group = {
  kind: 'group',
  name: 'roles',
  summary: "A person's roles: read them, or replace them.",
  example: 'tokend users roles get sam@demo.example --org Demo',
  children: [getRoles, setRoles],
};

export const searchPeople: Command = {
  kind: 'command',
  name: 'search',
  summary: 'Find people by email or name (any case; part of it is enough), as the users search does.',
  example: 'tokend users search --org Demo --name sam',
  options: {
    org: { type: 'string', value: 'ID|NAME', description: 'only this organization' },
    email: { type: 'string', value: 'TEXT', description: 'the email contains this' },
    name: { type: 'string', value: 'TEXT', description: 'the name contains this' },
    deleted: { type: 'boolean', description: 'deleted people too' },
  },
  sections: [DATABASE_SECTION],
  async run({ values }, io) {
    const email = stringValue(values, 'email');
    const name = stringValue(values, 'name');
    if (email === undefined && name === undefined) throw new UsageError('give --email or --name (or both)');
    const org = stringValue(values, 'org');
    const query = [
      ...(email === undefined ? [] : [{ type: 'CONTAINS', fields: ['email'], value: email }]),
      ...(name === undefined ? [] : [{ type: 'CONTAINS', fields: ['name'], value: name }]),
      ...(values.deleted === true ? [{ type: 'MATCH_ALL', fields: ['state'] }] : []),
    ];
    const found = await withCore(values, io.env, async (core) => {
      const organizations = org === undefined ? await core.reads.organizations() : [await findOrganization(core, org)];
      const users = core.users;
      const everyone = (await Promise.all(organizations.map((o) => users.everyone(o.id)))).flat();
      return searchUsers(everyone, { query });
    });
    printJson(
      io,
      found.map((user) => ({ ...shown(user), organizationId: user.organizationId })),
    );
    return 0;
  },
};
