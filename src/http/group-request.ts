/** From the groups API's requests to what the admin core takes, and from its groups to the answer. */
import type { GroupAdmin, GroupDraft } from '../core/admin/groups.js';
import type { GroupDetails, GroupRecord } from '../core/models.js';
import type { GroupCreate, GroupUpdate } from './group-schemas.js';
import { renderGroup } from './render-directory.js';

/** The kept fields a body names (the others keep their value on a PUT). */
function detailsOf(body: GroupCreate | GroupUpdate): GroupDetails {
  const { images, addresses, rolesEnabled, includeOwners, callsEnabled, email, ownerIds } = body;
  const named = { images, addresses, rolesEnabled, includeOwners, callsEnabled, email, ownerIds };
  return Object.fromEntries(Object.entries(named).filter(([, value]) => value !== undefined)) as GroupDetails;
}

/** A `GroupCreate` as a draft; its read-only fields (id, version, memberCount, ...) are ignored. */
export function createDraftOf(body: GroupCreate): GroupDraft {
  return {
    name: body.name,
    ...(body.description === undefined ? {} : { description: body.description }),
    type: body.type as GroupDraft['type'] & string,
    visibility: body.visibility as GroupDraft['visibility'] & string,
    rulesVisible: body.rulesVisible,
    ...(body.state === undefined ? {} : { state: body.state as GroupDraft['state'] & string }),
    details: detailsOf(body),
  };
}

/** A `GroupUpdate` as a change: what it names replaces, what it leaves out stays. */
export function changeOf(body: GroupUpdate): Partial<GroupDraft> {
  return {
    ...(body.name === undefined ? {} : { name: body.name }),
    ...(body.description === undefined ? {} : { description: body.description }),
    ...(body.visibility === undefined ? {} : { visibility: body.visibility as GroupDraft['visibility'] & string }),
    ...(body.rulesVisible === undefined ? {} : { rulesVisible: body.rulesVisible }),
    ...(body.state === undefined ? {} : { state: body.state as GroupDraft['state'] & string }),
    details: detailsOf(body),
  };
}

/** Groups as `Group`s, their member counts read in one query. */
export async function renderGroups(groups: GroupAdmin, list: readonly GroupRecord[]) {
  const counts = await groups.memberCounts(list.map((group) => group.id));
  return list.map((group) => renderGroup(group, counts.get(group.id) ?? 0));
}
