/**
 * `tokend groups create|update|delete`: through the admin core (src/core/admin/groups.ts), which
 * decides; this file reads flags and prints. A group is named by id or name within --org, a
 * member by user id or email.
 */
import { nameProblem } from '../../core/admin/directory-rules.js';
import type { GroupDraft } from '../../core/admin/groups.js';
import { GROUP_TYPES, GROUP_VISIBILITIES, type GroupRecord, type Organization, type User } from '../../core/models.js';
import type { Services } from '../../core/services.js';
import { type Command, listValue, requiredValue, stringValue, UsageError, type Values } from '../args.js';
import { DATABASE_SECTION, findOrganization, withCore } from '../admin-store.js';
import { CliError, notice, printJson } from '../output.js';
import { sameInNormalForm } from '../../core/normal-form.js';

const ORG = { org: { type: 'string', value: 'ID|NAME', description: 'the organization (required)' } } as const;
const MEMBER = {
  member: { type: 'string', multiple: true, value: 'ID|EMAIL', description: 'a user of the organization (repeat, or separate with commas)' },
} as const;

const FIELDS = {
  description: { type: 'string', value: 'TEXT', description: 'what the group is for' },
  visibility: { type: 'string', value: 'public|members|owners', description: 'who reads it through the API (default public)' },
} as const;

const counted = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;

function groupView(group: GroupRecord, organization: Organization, memberIds: readonly string[], users: readonly User[]) {
  const members = memberIds
    .map((id) => users.find((u) => u.id === id))
    .filter((u) => u !== undefined)
    .map((u) => ({ id: u.id, email: u.email }));
  return {
    id: group.id,
    name: group.name,
    ...(group.description === null ? {} : { description: group.description }),
    type: group.type,
    visibility: group.visibility,
    version: group.version,
    organization: { id: organization.id, name: organization.name },
    members,
  };
}

/** `--description`, `--visibility` and (on create) `--type` as a draft's fields; a bad choice is a usage error. */
function fieldsOf(values: Values): Partial<GroupDraft> {
  const description = stringValue(values, 'description');
  const visibility = choice(values, 'visibility', GROUP_VISIBILITIES);
  const type = choice(values, 'type', GROUP_TYPES);
  return {
    ...(description === undefined ? {} : { description }),
    ...(visibility === undefined ? {} : { visibility }),
    ...(type === undefined ? {} : { type }),
  };
}

function choice<T extends string>(values: Values, name: string, choices: readonly T[]): T | undefined {
  const value = stringValue(values, name);
  if (value !== undefined && !(choices as readonly string[]).includes(value)) throw new UsageError(`--${name} must be ${choices.join(', ')}`);
  return value as T | undefined;
}

/** `--member` values as user ids of the organization; an unknown one is named. */
function memberIds(references: string[], users: readonly User[], organization: Organization): string[] {
  return references.map((reference) => {
    const lower = reference.toLowerCase();
    const user = users.find((u) => u.id.toLowerCase() === lower || sameInNormalForm(u.email, reference));
    if (!user) throw new CliError(`no user with the id or email "${reference}" in organization ${organization.name} (tokend users list shows them)`);
    return user.id;
  });
}

function checkedName(values: Values): string | undefined {
  const name = stringValue(values, 'name');
  const problem = name === undefined ? null : nameProblem(name);
  if (problem) throw new UsageError(`--name ${problem}`);
  return name;
}

async function organizationAndUsers(core: Services, org: string) {
  const organization = await findOrganization(core, org);
  return { organization, users: await core.reads.users(organization.id) };
}

export const createGroup: Command = {
  kind: 'command',
  name: 'create',
  audited: true,
  summary: 'Create a group, with its members.',
  example: 'tokend groups create --org Demo --name "Night shift" --member sam@demo.example',
  options: {
    ...ORG,
    name: { type: 'string', value: 'NAME', description: 'the group name, unique in the organization (required)' },
    ...MEMBER,
    ...FIELDS,
    type: { type: 'string', value: 'official|social', description: 'the kind of group (default official)' },
  },
  sections: [DATABASE_SECTION],
  async run({ values }, io) {
    const org = requiredValue(values, 'org');
    const name = requiredValue(values, 'name');
    checkedName(values);
    const shown = await withCore(values, io.env, async (core) => {
      const { organization, users } = await organizationAndUsers(core, org);
      const members = memberIds(listValue(values, 'member'), users, organization);
      const created = await core.groups.create(organization, { ...fieldsOf(values), name, memberIds: members });
      return groupView(created.group, organization, created.memberIds, users);
    });
    printJson(io, shown);
    return 0;
  },
};

export const updateGroup: Command = {
  kind: 'command',
  name: 'update',
  audited: true,
  summary: "Rename a group, change its description or visibility, or replace its members; the members' idle timeout follows from their next request.",
  details: '--member replaces the whole list; give it once with an empty value to empty the group.',
  example: 'tokend groups update Support --org Demo --member sam@demo.example,admin@demo.example',
  args: ['<group ID|NAME>'],
  options: { ...ORG, name: { type: 'string', value: 'NAME', description: 'the new name' }, ...MEMBER, ...FIELDS },
  sections: [DATABASE_SECTION],
  async run({ values, positionals }, io) {
    const org = requiredValue(values, 'org');
    const name = checkedName(values);
    const fields = fieldsOf(values);
    if (name === undefined && values.member === undefined && Object.keys(fields).length === 0) {
      throw new UsageError('nothing to change: give --name, --member, --description or --visibility');
    }
    const { shown, added, removed } = await withCore(values, io.env, async (core) => {
      const { organization, users } = await organizationAndUsers(core, org);
      const members = values.member === undefined ? undefined : memberIds(listValue(values, 'member'), users, organization);
      const updated = await core.groups.update(organization, positionals[0] as string, {
        ...fields,
        ...(name === undefined ? {} : { name }),
        ...(members === undefined ? {} : { memberIds: members }),
      });
      return { shown: groupView(updated.group, organization, updated.memberIds, users), added: updated.added, removed: updated.removed };
    });
    printJson(io, shown);
    notice(io, `Updated group ${shown.name}: added ${counted(added.length, 'member')}, removed ${counted(removed.length, 'member')}.`);
    return 0;
  },
};

export const deleteGroup: Command = {
  kind: 'command',
  name: 'delete',
  audited: true,
  summary: "Delete a group and its memberships (refused while the organization's idle timeout names it).",
  example: 'tokend groups delete "Night shift" --org Demo',
  args: ['<group ID|NAME>'],
  options: ORG,
  sections: [DATABASE_SECTION],
  async run({ values, positionals }, io) {
    const org = requiredValue(values, 'org');
    const { group, memberIds: members } = await withCore(values, io.env, async (core) =>
      core.groups.delete(await findOrganization(core, org), positionals[0] as string),
    );
    printJson(io, { id: group.id, name: group.name, deleted: true, members: members.length });
    notice(io, `Deleted group ${group.name}: ${counted(members.length, 'member')} left it.`);
    return 0;
  },
};
