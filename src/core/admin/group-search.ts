/**
 * `POST /api/v2/groups/search` (the SDK's `GroupSearchRequest`): criteria over an organization's
 * groups, sorted and paged, in the search language of search-criteria.ts. Groups are searched by
 * id, name, description, state, type, visibility and email, and by name unless the search sorts
 * otherwise (docs/api.md, "Group search").
 */
import type { GroupRecord } from '../models.js';
import { type Search, type SearchCriterion, type SearchSpace, type SearchSort, searchIn } from './search-criteria.js';

export { SEARCH_TYPES } from './search-criteria.js';
export type GroupSearchCriterion = SearchCriterion;
export type GroupSearchSort = SearchSort;
export type GroupSearch = Search;

const FIELDS: Record<string, (group: GroupRecord) => string> = {
  id: (g) => g.id,
  name: (g) => g.name,
  description: (g) => g.description ?? '',
  state: (g) => g.state,
  type: (g) => g.type,
  visibility: (g) => g.visibility,
  email: (g) => g.details.email ?? '',
};
export const SEARCH_FIELDS = Object.keys(FIELDS);

const GROUPS: SearchSpace<GroupRecord> = {
  plural: 'groups',
  fields: FIELDS,
  sortKeys: { ...FIELDS, dateModified: (g) => String(g.dateModified ?? 0).padStart(16, '0') },
  defaultSortBy: 'name',
};

/** The groups `search` finds, in its order (all of them: the caller pages). */
export function searchGroups(groups: readonly GroupRecord[], search: GroupSearch): GroupRecord[] {
  return searchIn(GROUPS, groups, search);
}
