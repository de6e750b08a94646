/**
 * `POST /api/v2/users/search` (the SDK's `UserSearchRequest`): criteria over an organization's
 * people in the search language of search-criteria.ts, on the fields id, name, email and state,
 * by name unless the search sorts otherwise. ours (docs/api.md, "Users search"): deleted people
 * are found only by a search that names the `state` field, as the listing shows them only for
 * `state=deleted` or `any`.
 */
import type { UserRecord } from '../models.js';
import { type Search, type SearchCriterion, type SearchSpace, searchIn } from './search-criteria.js';

const FIELDS: Record<string, (user: UserRecord) => string> = {
  id: (u) => u.id,
  name: (u) => u.name,
  email: (u) => u.email,
  state: (u) => u.state,
};
export const USER_SEARCH_FIELDS = Object.keys(FIELDS);

const PEOPLE: SearchSpace<UserRecord> = {
  plural: 'users',
  fields: FIELDS,
  sortKeys: { ...FIELDS, dateModified: (u) => String(u.dateModified).padStart(16, '0') },
  defaultSortBy: 'name',
};

function namesState(criteria: readonly SearchCriterion[]): boolean {
  return criteria.some((c) => (c.fields ?? []).includes('state') || (c.group !== undefined && namesState(c.group)));
}

/** The people `search` finds, in its order (all of them: the caller pages). */
export function searchUsers(users: readonly UserRecord[], search: Search): UserRecord[] {
  const query = search.query ?? [];
  const candidates = namesState(query) ? users : users.filter((user) => user.state !== 'deleted');
  return searchIn(PEOPLE, candidates, search);
}
