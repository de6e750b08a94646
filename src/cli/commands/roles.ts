/** `tokend roles ...`: list (the roles of each organization, with their permissions), create, update, delete. */
import type { Role } from '../../core/models.js';
import { type Command, type Group, stringValue } from '../args.js';
import { DATABASE_SECTION, findOrganization, withCore } from '../admin-store.js';
import { createRole, deleteRole, updateRole } from './role-changes.js';
import { FORMAT_OPTIONS, lookup, organizationsById, orgRef, printListing } from '../listing.js';

const list: Command = {
  kind: 'command',
  name: 'list',
  summary: 'List roles and their permissions; --name looks one up.',
  example: 'tokend roles list --org Demo',
  options: {
    org: { type: 'string', value: 'ID|NAME', description: 'only this organization' },
    name: { type: 'string', value: 'NAME', description: 'only the role of this name (any case)' },
    ...FORMAT_OPTIONS,
  },
  sections: [DATABASE_SECTION],
  async run({ values }, io) {
    const org = stringValue(values, 'org');
    const { roles, organizations, where } = await withCore(values, io.env, async (core) => {
      const only = org === undefined ? undefined : await findOrganization(core, org);
      const organizations = await organizationsById(core);
      const ids = only ? [only.id] : [...organizations.keys()];
      const roles: Role[] = (await Promise.all(ids.map((id) => core.reads.roles(id)))).flat();
      return { roles, organizations, where: only ? ` in ${only.name}` : '' };
    });
    const organization = (role: Role) => orgRef(organizations, role.organizationId);
    printListing(io, values, {
      rows: lookup(roles, values, { name: (role) => role.name }, 'role', where),
      columns: [
        { title: 'id', cell: (role) => role.id },
        { title: 'name', cell: (role) => role.name },
        { title: 'organization', cell: (role) => organization(role).name },
        { title: 'permissions', cell: (role) => role.permissions.join(', ') },
      ],
      json: (role) => ({ id: role.id, name: role.name, organization: organization(role), permissions: role.permissions }),
    });
    return 0;
  },
};

export const rolesGroup: Group = {
  kind: 'group',
  name: 'roles',
  summary: "Organizations' roles in the server store (admin: acts on TOKEND_DATABASE, no API call).",
  example: 'tokend roles list --org Demo --name Admin',
  children: [list, createRole, updateRole, deleteRole],
};
