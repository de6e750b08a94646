/**
 * `tokend grants list|add|remove`: a person's grants of roles in divisions, through the admin
 * core (src/core/admin/grants.ts), which decides; this file reads flags and prints. The person is
 * named by id or email, the role and the division by id or name, within --org. The command line
 * may change anyone's grants (it holds the store); a running server judges the person's tokens
 * anew from their next request.
 */
import type { Subject } from '../../core/admin/grants.js';
import type { Organization } from '../../core/models.js';
import type { Services } from '../../core/services.js';
import { type Command, type Group, requiredValue } from '../args.js';
import { DATABASE_SECTION, findOrganization, isoDate, withCore } from '../admin-store.js';
import { FORMAT_OPTIONS, printListing } from '../listing.js';
import { notice, printJson } from '../output.js';

const ORG = { org: { type: 'string', value: 'ID|NAME', description: 'the organization (required)' } } as const;
const GRANT_ARGS = ['<user ID|EMAIL>', '<role ID|NAME>', '<division ID|NAME>'];

type Row = { id: string; role: string; roleId: string; division: string; divisionId: string; grantedAt: string | null };
const rowsOf = (subject: Subject): Row[] =>
  subject.grants.map((g) => ({
    id: `${g.role.id}/${g.division.id}`,
    role: g.role.name,
    roleId: g.role.id,
    division: g.division.name,
    divisionId: g.division.id,
    grantedAt: g.grantedAt === null ? null : isoDate(g.grantedAt),
  }));

/** Adds or removes one grant named by its three references; the person's grants after. */
async function changeOne(core: Services, organization: Organization, positionals: string[], change: 'add' | 'remove'): Promise<Subject> {
  const [userRef, roleRef, divisionRef] = positionals as [string, string, string];
  const { divisions, grants, users, roles } = core;
  const user = await users.find(userRef, organization);
  const role = await roles.find(organization, roleRef);
  const division = await divisions.find(organization, divisionRef);
  return grants[change](organization, user.id, [{ roleId: role.id, divisionId: division.id }], null, 'path');
}

const list: Command = {
  kind: 'command',
  name: 'list',
  summary: "List a person's grants: each role and the division it is granted in.",
  example: 'tokend grants list --org Demo sam@demo.example',
  args: ['<user ID|EMAIL>'],
  options: { ...ORG, ...FORMAT_OPTIONS },
  sections: [DATABASE_SECTION],
  async run({ values, positionals }, io) {
    const org = requiredValue(values, 'org');
    const subject = await withCore(values, io.env, async (core) => {
      const organization = await findOrganization(core, org);
      const { grants, users } = core;
      return grants.subject(organization, (await users.find(positionals[0] as string, organization)).id);
    });
    printListing(io, values, {
      rows: rowsOf(subject),
      columns: [
        { title: 'role', cell: (r) => r.role },
        { title: 'division', cell: (r) => r.division },
        { title: 'granted', cell: (r) => r.grantedAt ?? '' },
      ],
      json: ({ id: _id, ...row }) => row,
    });
    return 0;
  },
};

const add: Command = {
  kind: 'command',
  name: 'add',
  audited: true,
  summary: 'Grant a person a role in a division (in the home division: one of their roles).',
  example: 'tokend grants add sam@demo.example Employee Sales --org Demo',
  args: GRANT_ARGS,
  options: ORG,
  sections: [DATABASE_SECTION],
  async run({ values, positionals }, io) {
    const org = requiredValue(values, 'org');
    const subject = await withCore(values, io.env, async (core) => changeOne(core, await findOrganization(core, org), positionals, 'add'));
    printJson(io, { user: { id: subject.user.id, email: subject.user.email }, grants: rowsOf(subject).map(({ id: _id, ...row }) => row) });
    return 0;
  },
};

const remove: Command = {
  kind: 'command',
  name: 'remove',
  audited: true,
  summary: 'Take a grant from a person; their tokens lose what it allowed from their next request.',
  example: 'tokend grants remove sam@demo.example Employee Sales --org Demo',
  args: GRANT_ARGS,
  options: ORG,
  sections: [DATABASE_SECTION],
  async run({ values, positionals }, io) {
    const org = requiredValue(values, 'org');
    const subject = await withCore(values, io.env, async (core) => changeOne(core, await findOrganization(core, org), positionals, 'remove'));
    printJson(io, { user: { id: subject.user.id, email: subject.user.email }, grants: rowsOf(subject).map(({ id: _id, ...row }) => row) });
    notice(io, `${subject.user.email} now holds ${subject.grants.length} grant${subject.grants.length === 1 ? '' : 's'}.`);
    return 0;
  },
};

export const grantsGroup: Group = {
  kind: 'group',
  name: 'grants',
  summary: "People's grants of roles in divisions, in the server store (admin: acts on TOKEND_DATABASE, no API call).",
  example: 'tokend grants add sam@demo.example Employee Sales --org Demo',
  children: [list, add, remove],
};
