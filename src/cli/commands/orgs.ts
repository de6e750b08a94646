/** `tokend orgs list`: the organizations in the server store. */
import type { Command, Group } from '../args.js';
import { DATABASE_SECTION, withCore } from '../admin-store.js';
import { FORMAT_OPTIONS, lookup, printListing } from '../listing.js';

const list: Command = {
  kind: 'command',
  name: 'list',
  summary: 'List organizations; --name looks one up.',
  example: 'tokend orgs list --name Demo --ids',
  options: {
    name: { type: 'string', value: 'NAME', description: 'only the organization of this name (any case)' },
    ...FORMAT_OPTIONS,
  },
  sections: [DATABASE_SECTION],
  async run({ values }, io) {
    const organizations = await withCore(values, io.env, (core) => core.reads.organizations());
    printListing(io, values, {
      rows: lookup(organizations, values, { name: (o) => o.name }, 'organization'),
      columns: [
        { title: 'id', cell: (o) => o.id },
        { title: 'name', cell: (o) => o.name },
        { title: 'home division', cell: (o) => o.homeDivisionId },
        { title: 'idle timeout', cell: (o) => (o.idleTokenTimeout.enableIdleTokenTimeout ? `${o.idleTokenTimeout.idleTokenTimeoutSeconds} s` : 'off') },
      ],
      json: (o) => ({ id: o.id, name: o.name, homeDivisionId: o.homeDivisionId, idleTokenTimeout: o.idleTokenTimeout }),
    });
    return 0;
  },
};

export const orgsGroup: Group = {
  kind: 'group',
  name: 'orgs',
  summary: 'Organizations in the server store (admin: reads TOKEND_DATABASE, no API call).',
  example: 'tokend orgs list',
  children: [list],
};
