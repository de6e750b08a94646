/** `tokend clients list`: OAuth clients in the server store, never a secret or its hash. */
import type { Client } from '../../core/models.js';
import { type Command, stringValue } from '../args.js';
import { clientView } from './client-view.js';
import { DATABASE_SECTION, findOrganization, withCore } from '../admin-store.js';
import { FORMAT_OPTIONS, lookup, organizationsById, printListing } from '../listing.js';

export const clientsList: Command = {
  kind: 'command',
  name: 'list',
  summary: 'List OAuth clients (never their secrets); --name looks one up.',
  example: 'tokend clients list --org Demo --name "Demo service" --ids',
  options: {
    org: { type: 'string', value: 'ID|NAME', description: 'only this organization' },
    name: { type: 'string', value: 'NAME', description: 'only clients of this name (any case)' },
    ...FORMAT_OPTIONS,
  },
  sections: [DATABASE_SECTION],
  async run({ values }, io) {
    const org = stringValue(values, 'org');
    const { clients, organizations, where } = await withCore(values, io.env, async (core) => {
      const only = org === undefined ? undefined : await findOrganization(core, org);
      return { clients: await core.reads.clients(only?.id), organizations: await organizationsById(core), where: only ? ` in ${only.name}` : '' };
    });
    const organization = (client: Client) => organizations.get(client.organizationId);
    printListing(io, values, {
      rows: lookup(clients, values, { name: (client) => client.name }, 'client', where),
      columns: [
        { title: 'id', cell: (client) => client.id },
        { title: 'name', cell: (client) => client.name },
        { title: 'grant type', cell: (client) => client.authorizedGrantType },
        { title: 'state', cell: (client) => client.state },
        { title: 'organization', cell: (client) => organization(client)?.name ?? '' },
      ],
      json: (client) => clientView(client, organization(client)),
    });
    return 0;
  },
};
