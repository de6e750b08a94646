/**
 * The Genesys search language as tokend understands it (`GroupSearchRequest`, `UserSearchRequest`),
 * over any entity whose searchable fields read as strings, written once for the groups and the
 * users search (docs/api.md, "Search"):
 * - `type`: EXACT (the field equals a value), STARTS_WITH, CONTAINS, TERM (each word of the value
 *   is a word of the field), TERMS (TERM for any of `values`), MATCH_ALL, REQUIRED_FIELDS (every
 *   field has a value). Letter case never matters. A criterion gives `value`, `values` or both
 *   (any of them may match).
 * - `fields`: the entity's ({@link SearchSpace}); a criterion matches when one of its fields does.
 * - `operator`: AND (the default: must match), OR (at least one OR criterion of the list must),
 *   NOT (must not). A criterion with `group` is its group, judged the same way.
 * Anything else (another type, an unknown field, a criterion without the values its type needs)
 * is 400 naming the criterion, never silently ignored.
 */
import { ApiError } from '../errors.js';
import { type SortOrder, sortOrderOf } from '../sort-order.js';

/** Names in the order people read them, letter case aside (one collator for every comparison). */
const byName = new Intl.Collator('en', { sensitivity: 'base' });

export interface SearchCriterion {
  type: string;
  fields?: string[];
  value?: string;
  values?: string[];
  operator?: string;
  group?: SearchCriterion[];
  startValue?: string;
  endValue?: string;
  dateFormat?: string;
}

export interface SearchSort {
  sortBy?: string;
  sortOrder?: string;
}

export interface Search {
  query?: SearchCriterion[];
  sortBy?: string;
  sortOrder?: string;
  sort?: SearchSort[];
}

/** What one kind of entity is searched by: its plural (in messages), its fields, its sort keys (the fields and more). */
export interface SearchSpace<T extends { id: string }> {
  plural: string;
  fields: Record<string, (entity: T) => string>;
  sortKeys: Record<string, (entity: T) => string>;
  /** The sort key when the search names none. */
  defaultSortBy: string;
}

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

type Test<T> = (entity: T) => boolean;

/** One criterion as a test of an entity; throws 400 for what tokend does not understand. */
function compile<T extends { id: string }>(space: SearchSpace<T>, criterion: SearchCriterion, at: string, depth: number): Test<T> {
  if (criterion.group !== undefined) {
    if (depth >= MAX_DEPTH) throw invalid(`${at}.group`, `criteria nest at most ${MAX_DEPTH} deep`);
    return compileList(space, criterion.group, `${at}.group`, depth + 1);
  }
  const type = criterion.type.toUpperCase();
  if (!(SEARCH_TYPES as readonly string[]).includes(type))
    throw invalid(`${at}.type`, `tokend searches ${space.plural} by ${SEARCH_TYPES.join(', ')}, not ${criterion.type}`);
  if (type === 'MATCH_ALL') return () => true;
  const fields = criterion.fields ?? [];
  if (fields.length === 0) throw invalid(`${at}.fields`, `a ${type} criterion names at least one field`);
  const readers = fields.map((field, i) => {
    const reader = Object.hasOwn(space.fields, field) ? space.fields[field] : undefined;
    if (!reader) throw invalid(`${at}.fields[${i}]`, `${space.plural} are searched by ${Object.keys(space.fields).join(', ')}, not ${field}`);
    return reader;
  });
  if (type === 'REQUIRED_FIELDS') return (entity) => readers.every((read) => read(entity) !== '');
  const values = [...(criterion.value === undefined ? [] : [criterion.value]), ...(criterion.values ?? [])].map((v) => v.toLowerCase());
  if (values.length === 0) throw invalid(`${at}.value`, `a ${type} criterion needs a value or values`);
  const matches = matcher(type, values);
  return (entity) => readers.some((read) => matches(read(entity).toLowerCase()));
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
function compileList<T extends { id: string }>(space: SearchSpace<T>, criteria: readonly SearchCriterion[], at: string, depth: number): Test<T> {
  const must: Test<T>[] = [];
  const should: Test<T>[] = [];
  const mustNot: Test<T>[] = [];
  criteria.forEach((criterion, i) => {
    const operator = (criterion.operator ?? 'AND').toUpperCase();
    if (!OPERATORS.includes(operator)) throw invalid(`${at}[${i}].operator`, `must be one of ${OPERATORS.join(', ')}`);
    const test = compile(space, criterion, `${at}[${i}]`, depth);
    (operator === 'OR' ? should : operator === 'NOT' ? mustNot : must).push(test);
  });
  return (entity) => must.every((t) => t(entity)) && (should.length === 0 || should.some((t) => t(entity))) && !mustNot.some((t) => t(entity));
}

/** The order of a search's results: `sort` (several keys), else `sortBy` and `sortOrder`; by the space's default key otherwise. */
function comparator<T extends { id: string }>(space: SearchSpace<T>, search: Search): (a: T, b: T) => number {
  const keys: Array<{ read: (entity: T) => string; order: SortOrder }> = [];
  const add = (sortBy: string | undefined, sortOrder: string | undefined, at: string) => {
    const by = sortBy ?? space.defaultSortBy;
    const read = Object.hasOwn(space.sortKeys, by) ? space.sortKeys[by] : undefined;
    if (!read) throw invalid(`${at}sortBy`, `${space.plural} sort by ${Object.keys(space.sortKeys).join(', ')}, not ${by}`);
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

/** The entities `search` finds, in its order (all of them: the caller pages). */
export function searchIn<T extends { id: string }>(space: SearchSpace<T>, entities: readonly T[], search: Search): T[] {
  const test = compileList(space, search.query ?? [], 'query', 0);
  return entities.filter(test).sort(comparator(space, search));
}
