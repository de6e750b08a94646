/** `tokend groups ...`: list (the groups of each organization; idle timeout bundles name them), create, update, delete. */
import type { Group as DirectoryGroup } from '../../core/models.js';
import { type Command, type Group, stringValue } from '../args.js';
import { DATABASE_SECTION, findOrganization, withCore } from '../admin-store.js';
import { createGroup, deleteGroup, updateGroup } from './group-changes.js';
import { FORMAT_OPTIONS, lookup, organizationsById, orgRef, printListing } from '../listing.js';

const list: Command = {
  kind: 'command',
  name: 'list',
  summary: 'List groups; --name looks one up.',
  example: 'tokend groups list --org Demo',
  options: {
    org: { type: 'string', value: 'ID|NAME', description: 'only this organization' },
    name: { type: 'string', value: 'NAME', description: 'only the group of this name (any case)' },
    ...FORMAT_OPTIONS,
  },
  sections: [DATABASE_SECTION],
  async run({ values }, io) {
    const org = stringValue(values, 'org');
    const { groups, organizations, where } = await withCore(values, io.env, async (core) => {
      const only = org === undefined ? undefined : await findOrganization(core, org);
      const organizations = await organizationsById(core);
      const ids = only ? [only.id] : [...organizations.keys()];
      const groups: DirectoryGroup[] = (await Promise.all(ids.map((id) => core.reads.groups(id)))).flat();
      return { groups, organizations, where: only ? ` in ${only.name}` : '' };
    });
    const organization = (group: DirectoryGroup) => orgRef(organizations, group.organizationId);
    printListing(io, values, {
      rows: lookup(groups, values, { name: (group) => group.name }, 'group', where),
      columns: [
        { title: 'id', cell: (group) => group.id },
        { title: 'name', cell: (group) => group.name },
        { title: 'organization', cell: (group) => organization(group).name },
      ],
      json: (group) => ({ id: group.id, name: group.name, organization: organization(group) }),
    });
    return 0;
  },
};

export const groupsGroup: Group = {
  kind: 'group',
  name: 'groups',
  summary: "Organizations' groups in the server store (admin: acts on TOKEND_DATABASE, no API call).",
  example: 'tokend groups list --org Demo --name Support --ids',
  children: [list, createGroup, updateGroup, deleteGroup],
};
