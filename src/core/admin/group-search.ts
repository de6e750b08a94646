/**
 * `POST /api/v2/groups/search` (the SDK's `GroupSearchRequest`): criteria over an organization's
 * groups, sorted and paged. What tokend understands of the Genesys search language, written
 * once (docs/api.md, "Group search"):
 * - `type`: EXACT (the field equals a value), STARTS_WITH, CONTAINS, TERM (each word of the value
 *   is a word of the field), TERMS (TERM for any of `values`), MATCH_ALL, REQUIRED_FIELDS (every
 *   field has a value). Letter case never matters. A criterion gives `value`, `values` or both
 *   (any of them may match).
 * - `fields`: id, name, description, state, type, visibility, email; a criterion matches when
 *   one of its fields does.
 * - `operator`: AND (the default: must match), OR (at least one OR criterion of the list must),
 *   NOT (must not). A criterion with `group` is its group, judged the same way.
 * Anything else (another type, an unknown field, a criterion without the values its type needs)
 * is 400 naming the criterion, never silently ignored.
 */
import { ApiError } from '../errors.js';
import type { GroupRecord } from '../models.js';
import { type SortOrder, sortOrderOf } from '../sort-order.js';

/** Names in the order people read them, letter case aside (one collator for every comparison). */
const byName = new Intl.Collator('en', { sensitivity: 'base' });

export interface GroupSearchCriterion {
  type: string;
  fields?: string[];
  value?: string;
  values?: string[];
  operator?: string;
  group?: GroupSearchCriterion[];
  startValue?: string;
  endValue?: string;
  dateFormat?: string;
}

export interface GroupSearchSort {
  sortBy?: string;
  sortOrder?: string;
}

export interface GroupSearch {
  query?: GroupSearchCriterion[];
  sortBy?: string;
  sortOrder?: string;
  sort?: GroupSearchSort[];
}

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
const SORT_KEYS: Record<string, (group: GroupRecord) => string> = { ...FIELDS, dateModified: (g) => String(g.dateModified ?? 0).padStart(16, '0') };
export const SEARCH_TYPES = ['EXACT', 'STARTS_WITH', 'CONTAINS', 'TERM', 'TERMS', 'MATCH_ALL', 'REQUIRED_FIELDS'] as const;
const OPERATORS = ['AND', 'OR', 'NOT'];
const MAX_DEPTH = 5;

const invalid = (fieldName: string, message: string) =>
  new ApiError(400, 'invalid.value', `${fieldName}: ${message}`, { details: [{ errorCode: 'invalid.value', fieldName }] });

const words = (text: string) =>
  text
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w !== '');

type Test = (group: GroupRecord) => boolean;

/** One criterion as a test of a group; throws 400 for what tokend does not understand. */
function compile(criterion: GroupSearchCriterion, at: string, depth: number): Test {
  if (criterion.group !== undefined) {
    if (depth >= MAX_DEPTH) throw invalid(`${at}.group`, `criteria nest at most ${MAX_DEPTH} deep`);
    return compileList(criterion.group, `${at}.group`, depth + 1);
  }
  const type = criterion.type.toUpperCase();
  if (!(SEARCH_TYPES as readonly string[]).includes(type))
    throw invalid(`${at}.type`, `tokend searches groups by ${SEARCH_TYPES.join(', ')}, not ${criterion.type}`);
  if (type === 'MATCH_ALL') return () => true;
  const fields = criterion.fields ?? [];
  if (fields.length === 0) throw invalid(`${at}.fields`, `a ${type} criterion names at least one field`);
  const readers = fields.map((field, i) => {
    const reader = FIELDS[field];
    if (!reader) throw invalid(`${at}.fields[${i}]`, `groups are searched by ${SEARCH_FIELDS.join(', ')}, not ${field}`);
    return reader;
  });
  if (type === 'REQUIRED_FIELDS') return (group) => readers.every((read) => read(group) !== '');
  const values = [...(criterion.value === undefined ? [] : [criterion.value]), ...(criterion.values ?? [])].map((v) => v.toLowerCase());
  if (values.length === 0) throw invalid(`${at}.value`, `a ${type} criterion needs a value or values`);
  const matches = matcher(type, values);
  return (group) => readers.some((read) => matches(read(group).toLowerCase()));
}

function matcher(type: string, values: readonly string[]): (field: string) => boolean {
  switch (type) {
    case 'EXACT':
      return (field) => values.includes(field);
    case 'STARTS_WITH':
      return (field) => values.some((v) => field.startsWith(v));
    case 'CONTAINS':
      return (field) => values.some((v) => field.includes(v));
    default: {
      // TERM and TERMS: every word of a value is a word of the field.
      const wanted = values.map(words);
      return (field) => {
        const have = new Set(words(field));
        return wanted.some((ws) => ws.length > 0 && ws.every((w) => have.has(w)));
      };
    }
  }
}

/** A list of criteria: every AND, at least one OR (when any), no NOT. */
function compileList(criteria: readonly GroupSearchCriterion[], at: string, depth: number): Test {
  const must: Test[] = [];
  const should: Test[] = [];
  const mustNot: Test[] = [];
  criteria.forEach((criterion, i) => {
    const operator = (criterion.operator ?? 'AND').toUpperCase();
    if (!OPERATORS.includes(operator)) throw invalid(`${at}[${i}].operator`, `must be one of ${OPERATORS.join(', ')}`);
    const test = compile(criterion, `${at}[${i}]`, depth);
    (operator === 'OR' ? should : operator === 'NOT' ? mustNot : must).push(test);
  });
  return (group) => must.every((t) => t(group)) && (should.length === 0 || should.some((t) => t(group))) && !mustNot.some((t) => t(group));
}

/** The order of a search's results: `sort` (several keys), else `sortBy` and `sortOrder`; by name by default. */
function comparator(search: GroupSearch): (a: GroupRecord, b: GroupRecord) => number {
  const keys: Array<{ read: (g: GroupRecord) => string; order: SortOrder }> = [];
  const add = (sortBy: string | undefined, sortOrder: string | undefined, at: string) => {
    const by = sortBy ?? 'name';
    const read = SORT_KEYS[by];
    if (!read) throw invalid(`${at}sortBy`, `groups sort by ${Object.keys(SORT_KEYS).join(', ')}, not ${by}`);
    const order = sortOrder === undefined ? 'ascending' : sortOrderOf(sortOrder);
    if (!order) throw invalid(`${at}sortOrder`, 'must be ascending, descending, ASC or DESC');
    keys.push({ read, order });
  };
  if (search.sort !== undefined && search.sort.length > 0) search.sort.forEach((s, i) => add(s.sortBy, s.sortOrder, `sort[${i}].`));
  else add(search.sortBy, search.sortOrder, '');
  return (a, b) => {
    for (const { read, order } of keys) {
      const c = byName.compare(read(a), read(b));
      if (c !== 0) return order === 'ascending' ? c : -c;
    }
    return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
  };
}

/** The groups `search` finds, in its order (all of them: the caller pages). */
export function searchGroups(groups: readonly GroupRecord[], search: GroupSearch): GroupRecord[] {
  const test = compileList(search.query ?? [], 'query', 0);
  return groups.filter(test).sort(comparator(search));
}
