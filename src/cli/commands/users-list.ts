/** `tokend users list`: users in the server store, never a password or its hash. */
import type { User } from '../../core/models.js';
import { type Command, stringValue } from '../args.js';
import { DATABASE_SECTION, findOrganization, isoDate, withCore } from '../admin-store.js';
import { FORMAT_OPTIONS, lookup, organizationsById, orgRef, printListing } from '../listing.js';

export const usersList: Command = {
  kind: 'command',
  name: 'list',
  summary: 'List users (never their passwords); --email looks one up.',
  example: 'tokend users list --org Demo --email sam@demo.example',
  options: {
    org: { type: 'string', value: 'ID|NAME', description: 'only this organization' },
    email: { type: 'string', value: 'EMAIL', description: 'only the user with this email (any case)' },
    name: { type: 'string', value: 'NAME', description: 'only users of this name (any case)' },
    ...FORMAT_OPTIONS,
  },
  sections: [DATABASE_SECTION],
  async run({ values }, io) {
    const org = stringValue(values, 'org');
    const { users, organizations, names, where } = await withCore(values, io.env, async (core) => {
      const only = org === undefined ? undefined : await findOrganization(core, org);
      const organizations = await organizationsById(core);
      const users = await core.reads.users(only?.id);
      // Role and group names of the organizations listed: a user row holds only their ids.
      const orgIds = [...new Set(users.map((user) => user.organizationId))];
      const named = await Promise.all(orgIds.flatMap((id) => [core.reads.roles(id), core.reads.groups(id)]));
      const names = new Map(named.flat().map((entity) => [entity.id, entity.name]));
      return { users, organizations, names, where: only ? ` in ${only.name}` : '' };
    });
    const refs = (ids: string[]) => ids.map((id) => ({ id, name: names.get(id) ?? '' }));
    printListing(io, values, {
      rows: lookup(users, values, { email: (user) => user.email, name: (user) => user.name }, 'user', where),
      columns: [
        { title: 'id', cell: (user) => user.id },
        { title: 'email', cell: (user) => user.email },
        { title: 'name', cell: (user) => user.name },
        { title: 'state', cell: (user) => user.state },
        { title: 'organization', cell: (user) => orgRef(organizations, user.organizationId).name },
        {
          title: 'roles',
          cell: (user) =>
            refs(user.roleIds)
              .map((role) => role.name)
              .join(', '),
        },
      ],
      json: (user: User) => ({
        id: user.id,
        name: user.name,
        email: user.email,
        organization: orgRef(organizations, user.organizationId),
        state: user.state,
        roles: refs(user.roleIds),
        groups: refs(user.groupIds),
        dateCreated: isoDate(user.dateCreated),
        dateModified: isoDate(user.dateModified),
      }),
    });
    return 0;
  },
};
