/**
 * `tokend divisions list|create|update|delete`: an organization's divisions, through the admin
 * core (src/core/admin/divisions.ts), which decides; this file reads flags and prints. A division
 * is named by id or name within --org.
 */
import type { Division, Organization } from '../../core/models.js';
import { type Command, type Group, requiredValue, stringValue, UsageError } from '../args.js';
import { DATABASE_SECTION, findOrganization, withCore } from '../admin-store.js';
import { FORMAT_OPTIONS, lookup, printListing } from '../listing.js';
import { notice, printJson } from '../output.js';

const ORG = { org: { type: 'string', value: 'ID|NAME', description: 'the organization (required)' } } as const;
const DESCRIPTION = { description: { type: 'string', value: 'TEXT', description: 'what the division is for (at most 500 characters)' } } as const;

const view = (division: Division, organization: Organization) => ({
  id: division.id,
  name: division.name,
  description: division.description,
  home: division.home,
  organization: { id: organization.id, name: organization.name },
});

const list: Command = {
  kind: 'command',
  name: 'list',
  summary: "List an organization's divisions, the home one among them; --name looks one up.",
  example: 'tokend divisions list --org Demo',
  options: { ...ORG, name: { type: 'string', value: 'NAME', description: 'only the division of this name (any case)' }, ...FORMAT_OPTIONS },
  sections: [DATABASE_SECTION],
  async run({ values }, io) {
    const org = requiredValue(values, 'org');
    const { divisions, organization } = await withCore(values, io.env, async (core) => {
      const organization = await findOrganization(core, org);
      return { divisions: await core.divisions.list(organization), organization };
    });
    printListing(io, values, {
      rows: lookup(divisions, values, { name: (d) => d.name }, 'division', ` in ${organization.name}`),
      columns: [
        { title: 'id', cell: (d) => d.id },
        { title: 'name', cell: (d) => d.name },
        { title: 'home', cell: (d) => (d.home ? 'yes' : '') },
        { title: 'description', cell: (d) => d.description ?? '' },
      ],
      json: (d) => view(d, organization),
    });
    return 0;
  },
};

const create: Command = {
  kind: 'command',
  name: 'create',
  audited: true,
  summary: 'Create a division.',
  example: 'tokend divisions create --org Demo --name Sales --description "The sales floor"',
  options: { ...ORG, name: { type: 'string', value: 'NAME', description: 'the division name, unique in the organization (required)' }, ...DESCRIPTION },
  sections: [DATABASE_SECTION],
  async run({ values }, io) {
    const org = requiredValue(values, 'org');
    const name = requiredValue(values, 'name');
    const description = stringValue(values, 'description');
    const shown = await withCore(values, io.env, async (core) => {
      const organization = await findOrganization(core, org);
      return view(await core.divisions.create(organization, { name, ...(description === undefined ? {} : { description }) }), organization);
    });
    printJson(io, shown);
    return 0;
  },
};

const update: Command = {
  kind: 'command',
  name: 'update',
  audited: true,
  summary: 'Rename a division or change its description (the home division keeps its name).',
  example: 'tokend divisions update Sales --org Demo --description "The sales floor and its managers"',
  args: ['<division ID|NAME>'],
  options: { ...ORG, name: { type: 'string', value: 'NAME', description: 'the new name' }, ...DESCRIPTION },
  sections: [DATABASE_SECTION],
  async run({ values, positionals }, io) {
    const org = requiredValue(values, 'org');
    const name = stringValue(values, 'name');
    const description = stringValue(values, 'description');
    if (name === undefined && description === undefined) throw new UsageError('nothing to change: give --name or --description');
    const shown = await withCore(values, io.env, async (core) => {
      const organization = await findOrganization(core, org);
      const divisions = core.divisions;
      const existing = await divisions.find(organization, positionals[0] as string);
      const updated = await divisions.update(organization, existing.id, {
        name: name ?? existing.name,
        description: description === undefined ? existing.description : description,
      });
      return view(updated, organization);
    });
    printJson(io, shown);
    return 0;
  },
};

const remove: Command = {
  kind: 'command',
  name: 'delete',
  audited: true,
  summary: 'Delete a division that holds no grant and no client role (never the home one).',
  example: 'tokend divisions delete Sales --org Demo',
  args: ['<division ID|NAME>'],
  options: ORG,
  sections: [DATABASE_SECTION],
  async run({ values, positionals }, io) {
    const org = requiredValue(values, 'org');
    const deleted = await withCore(values, io.env, async (core) => {
      const organization = await findOrganization(core, org);
      const divisions = core.divisions;
      return divisions.delete(organization, (await divisions.find(organization, positionals[0] as string)).id);
    });
    printJson(io, { id: deleted.id, name: deleted.name, deleted: true });
    notice(io, `Deleted division ${deleted.name}.`);
    return 0;
  },
};

export const divisionsGroup: Group = {
  kind: 'group',
  name: 'divisions',
  summary: "Organizations' divisions in the server store (admin: acts on TOKEND_DATABASE, no API call).",
  example: 'tokend divisions list --org Demo',
  children: [list, create, update, remove],
};
