/**
 * `tokend roles create|update|delete`: through the admin core (src/core/admin/roles.ts), which
 * decides; this file reads flags and prints. A role is named by id or name within --org.
 */
import { nameProblem, permissionsProblem } from '../../core/admin/directory-rules.js';
import type { Organization, Role, RoleDetails } from '../../core/models.js';
import { type Command, listValue, requiredValue, stringValue, UsageError, type Values } from '../args.js';
import { DATABASE_SECTION, findOrganization, withCore } from '../admin-store.js';
import { notice, printJson } from '../output.js';

const ORG = { org: { type: 'string', value: 'ID|NAME', description: 'the organization (required)' } } as const;
const PERMISSION = {
  permission: {
    type: 'string',
    multiple: true,
    value: 'PERMISSION',
    description: 'domain:entity:action, each part a word or * (repeat, or separate with commas)',
  },
} as const;

const DESCRIPTION = {
  description: { type: 'string', value: 'TEXT', description: 'what the role is for, as the roles API answers it (an empty value removes it)' },
} as const;

const roleView = (role: Role, organization: Organization) => ({
  id: role.id,
  name: role.name,
  ...(role.details?.description === undefined ? {} : { description: role.details.description }),
  organization: { id: organization.id, name: organization.name },
  permissions: role.permissions,
});

/** The role's kept fields with `description` set (an empty one removed), or undefined to leave them. */
function withDescription(details: RoleDetails | undefined, description: string | undefined): RoleDetails | undefined {
  if (description === undefined) return undefined;
  const { description: _old, ...rest } = details ?? {};
  return description === '' ? rest : { ...rest, description };
}
const counted = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;

/** The flags checked with the core's own rules before the store is opened. */
function checkedFlags(values: Values): { name: string | undefined; permissions: string[] | undefined } {
  const name = stringValue(values, 'name');
  const problem = name === undefined ? null : nameProblem(name);
  if (problem) throw new UsageError(`--name ${problem}`);
  const permissions = values.permission === undefined ? undefined : listValue(values, 'permission');
  const bad = permissions && permissionsProblem(permissions);
  if (bad) throw new UsageError(`--permission ${bad.problem}`);
  return { name, permissions };
}

export const createRole: Command = {
  kind: 'command',
  name: 'create',
  audited: true,
  summary: 'Create a role with its permissions.',
  example: 'tokend roles create --org Demo --name Auditor --permission oauth:client:view,authorization:role:view',
  options: {
    ...ORG,
    name: { type: 'string', value: 'NAME', description: 'the role name, unique in the organization (required)' },
    ...PERMISSION,
    ...DESCRIPTION,
  },
  sections: [DATABASE_SECTION],
  async run({ values }, io) {
    const org = requiredValue(values, 'org');
    const name = requiredValue(values, 'name');
    const { permissions } = checkedFlags(values);
    const shown = await withCore(values, io.env, async (core) => {
      const organization = await findOrganization(core, org);
      const details = withDescription(undefined, stringValue(values, 'description'));
      return roleView(await core.roles.create(organization, { name, permissions: permissions ?? [], ...(details ? { details } : {}) }), organization);
    });
    printJson(io, shown);
    return 0;
  },
};

export const updateRole: Command = {
  kind: 'command',
  name: 'update',
  audited: true,
  summary: 'Rename a role, describe it, or replace its permissions; its holders get them from their next request.',
  details: '--permission replaces the whole list; give it once with an empty value to empty it.',
  example: 'tokend roles update Employee --org Demo --permission authorization:role:view',
  args: ['<role ID|NAME>'],
  options: { ...ORG, name: { type: 'string', value: 'NAME', description: 'the new name' }, ...PERMISSION, ...DESCRIPTION },
  sections: [DATABASE_SECTION],
  async run({ values, positionals }, io) {
    const org = requiredValue(values, 'org');
    const { name, permissions } = checkedFlags(values);
    const description = stringValue(values, 'description');
    if (name === undefined && permissions === undefined && description === undefined) {
      throw new UsageError('nothing to change: give --name, --permission or --description');
    }
    const { shown, holders } = await withCore(values, io.env, async (core) => {
      const organization = await findOrganization(core, org);
      const roles = core.roles;
      const existing = await roles.find(organization, positionals[0] as string);
      const details = withDescription(existing.details, description);
      const role = await roles.update(organization, existing, {
        ...(name === undefined ? {} : { name }),
        ...(permissions === undefined ? {} : { permissions }),
        ...(details === undefined ? {} : { details }),
      });
      return { shown: roleView(role, organization), holders: await roles.holders(organization, role.id) };
    });
    printJson(io, shown);
    notice(
      io,
      `Updated role ${shown.name}: held by ${counted(holders.userIds.length, 'user')} and ${counted(holders.clientIds.length, 'client')}, who get its permissions from their next request.`,
    );
    return 0;
  },
};

export const deleteRole: Command = {
  kind: 'command',
  name: 'delete',
  audited: true,
  summary: 'Delete a role and take it from every user and client that holds it.',
  details: 'Their tokens stay valid, with what their other roles allow, from their next request.',
  example: 'tokend roles delete Auditor --org Demo',
  args: ['<role ID|NAME>'],
  options: ORG,
  sections: [DATABASE_SECTION],
  async run({ values, positionals }, io) {
    const org = requiredValue(values, 'org');
    const { role, holders } = await withCore(values, io.env, async (core) => core.roles.delete(await findOrganization(core, org), positionals[0] as string));
    printJson(io, { id: role.id, name: role.name, deleted: true, users: holders.userIds.length, clients: holders.clientIds.length });
    notice(io, `Deleted role ${role.name}: taken from ${counted(holders.userIds.length, 'user')} and ${counted(holders.clientIds.length, 'client')}.`);
    return 0;
  },
};
