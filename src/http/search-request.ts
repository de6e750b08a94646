/**
 * What the groups and users searches share (GroupsApi and UsersApi: post…Search, and get…Search,
 * which pages one): the request's schema, the q64 that carries a search to its next page, and
 * the answer's paging. The criteria are core's (core/admin/search-criteria.ts); each search
 * adds its own fields and renders its own results.
 */
import { type Static, type TObject, type TSchema, Type } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { ApiError } from '../core/errors.js';
import { PAGE_NUMBER, PAGE_SIZE } from './page-listing.js';

/** A q64 longer than this is refused before it is decoded (a search request is small). */
export const MAX_Q64 = 16_384;

const Text = (maxLength: number) => Type.String({ maxLength });

/** A search criterion (`GroupSearchCriteria`, `UserSearchCriteria`), nested by `group` at most `depth` more levels. */
function criterionSchema(title: string, depth: number): TSchema {
  return Type.Object(
    {
      type: Type.String({ minLength: 1, maxLength: 50 }),
      fields: Type.Optional(Type.Array(Text(50), { maxItems: 10 })),
      value: Type.Optional(Text(500)),
      values: Type.Optional(Type.Array(Text(500), { maxItems: 100 })),
      operator: Type.Optional(Text(10)),
      startValue: Type.Optional(Text(500)),
      endValue: Type.Optional(Text(500)),
      dateFormat: Type.Optional(Text(100)),
      ...(depth > 0 ? { group: Type.Optional(Type.Array(criterionSchema(title, depth - 1), { maxItems: 20 })) } : {}),
    },
    { additionalProperties: false, title },
  );
}

/** Judged by the search (core/admin/search-criteria.ts), which names the field it is in. */
const SortOrder = Type.String({ maxLength: 20, description: 'ascending, descending, ASC or DESC, in any letter case' });

/** The fields every search request has; `criterion` names its criteria's model. */
export function searchRequestFields(criterion: string) {
  return {
    sortOrder: Type.Optional(SortOrder),
    sortBy: Type.Optional(Text(50)),
    pageSize: Type.Optional(Type.Integer({ minimum: PAGE_SIZE.min, maximum: PAGE_SIZE.max })),
    pageNumber: Type.Optional(Type.Integer({ minimum: PAGE_NUMBER.min, maximum: PAGE_NUMBER.max })),
    sort: Type.Optional(
      Type.Array(Type.Object({ sortOrder: Type.Optional(SortOrder), sortBy: Type.Optional(Text(50)) }, { additionalProperties: false }), { maxItems: 5 }),
    ),
    query: Type.Optional(Type.Array(criterionSchema(criterion, 4), { maxItems: 20 })),
  };
}

interface PagedSearch {
  pageSize?: number | undefined;
  pageNumber?: number | undefined;
}

/**
 * The paging of a search's answer over everything it `found`: the page asked for, and links to
 * it and its neighbours at `path` (`/api/v2/groups/search`) whose q64 is the search itself.
 */
export function searchPage<T>(path: string, search: PagedSearch, found: readonly T[]) {
  const pageSize = search.pageSize ?? PAGE_SIZE.default;
  const pageNumber = search.pageNumber ?? 1;
  const pageCount = Math.ceil(found.length / pageSize);
  const start = (pageNumber - 1) * pageSize;
  const pageUri = (page: number) => `${path}?q64=${encodeURIComponent(Buffer.from(JSON.stringify({ ...search, pageNumber: page })).toString('base64'))}`;
  return {
    paging: {
      total: found.length,
      pageCount,
      pageSize,
      pageNumber,
      ...(pageNumber > 1 ? { previousPage: pageUri(Math.min(pageNumber - 1, Math.max(pageCount, 1))) } : {}),
      currentPage: pageUri(pageNumber),
      ...(pageNumber < pageCount ? { nextPage: pageUri(pageNumber + 1) } : {}),
    },
    page: found.slice(start, start + pageSize),
  };
}

const badQ64 = (problem: string) =>
  new ApiError(400, 'invalid.query.param.value', `Invalid value for parameter q64: ${problem}.`, {
    details: [{ errorCode: 'invalid.query.param.value', fieldName: 'q64' }],
  });

/** The search a q64 carries: base64 (or base64url) of the request `schema` judges (its title names it). */
export function searchOfQ64<S extends TObject>(q64: string, schema: S): Static<S> {
  let data: unknown;
  try {
    data = JSON.parse(Buffer.from(q64, 'base64').toString('utf8'));
  } catch {
    throw badQ64(`not base64 of a JSON ${schema.title}`);
  }
  const first = Value.Errors(schema, data).First();
  if (first) throw badQ64(`${first.path || 'the search'} ${first.message.charAt(0).toLowerCase()}${first.message.slice(1)}`);
  return data as Static<S>;
}
