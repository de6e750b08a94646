/**
 * User search (`UsersApi`: postUsersSearch, and getUsersSearch, which pages one). The criteria
 * are core's (core/admin/user-search.ts). An answer's `currentPage`, `nextPage` and
 * `previousPage` are getUsersSearch URIs whose `q64` is the search itself, as base64 JSON, at
 * that page: the search is run again, over the people as they are then. The request's `expand`
 * (ours: the values getUser lists) shapes its results.
 */
import { Type } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { searchUsers } from '../../core/admin/user-search.js';
import { ApiError } from '../../core/errors.js';
import { OPERATIONS } from '../../core/operations/table.js';
import type { Principal } from '../../core/principal.js';
import { USER_SEARCH_EXPAND_LIST } from '../../core/user-expand.js';
import type { DefineOperation } from '../api-operation.js';
import { principalOf } from '../bearer.js';
import { PAGE_SIZE } from '../page-listing.js';
import { requireBody } from '../request-body.js';
import { apiErrorResponses } from '../schemas.js';
import { type UserSearchRequest, UserSearchRequestSchema, UsersSearchResponseSchema } from '../user-schemas.js';
import { renderUsers, type UserViewServices } from '../user-views.js';

/** A q64 longer than this is refused before it is decoded (a search request is small). */
const MAX_Q64 = 16_384;

const q64Of = (search: UserSearchRequest, pageNumber: number) => Buffer.from(JSON.stringify({ ...search, pageNumber })).toString('base64');
const pageUri = (search: UserSearchRequest, pageNumber: number) => `/api/v2/users/search?q64=${encodeURIComponent(q64Of(search, pageNumber))}`;

/** Runs a search for the caller and answers a `UsersSearchResponse`. */
async function answer(services: UserViewServices, principal: Principal, search: UserSearchRequest) {
  const expands = USER_SEARCH_EXPAND_LIST.parse(search.expand ?? []);
  const found = searchUsers(await services.users.everyone(principal.organization.id), search);
  const pageSize = search.pageSize ?? PAGE_SIZE.default;
  const pageNumber = search.pageNumber ?? 1;
  const pageCount = Math.ceil(found.length / pageSize);
  const start = (pageNumber - 1) * pageSize;
  return {
    total: found.length,
    pageCount,
    pageSize,
    pageNumber,
    ...(pageNumber > 1 ? { previousPage: pageUri(search, Math.min(pageNumber - 1, Math.max(pageCount, 1))) } : {}),
    currentPage: pageUri(search, pageNumber),
    ...(pageNumber < pageCount ? { nextPage: pageUri(search, pageNumber + 1) } : {}),
    types: ['users'],
    results: await renderUsers(services, principal, found.slice(start, start + pageSize), expands),
  };
}

const badQ64 = (problem: string) =>
  new ApiError(400, 'invalid.query.param.value', `Invalid value for parameter q64: ${problem}.`, {
    details: [{ errorCode: 'invalid.query.param.value', fieldName: 'q64' }],
  });

/** The search a q64 carries: base64 (or base64url) of a UserSearchRequest. */
function searchOf(q64: string): UserSearchRequest {
  let data: unknown;
  try {
    data = JSON.parse(Buffer.from(q64, 'base64').toString('utf8'));
  } catch {
    throw badQ64('not base64 of a JSON UserSearchRequest');
  }
  const first = Value.Errors(UserSearchRequestSchema, data).First();
  if (first) throw badQ64(`${first.path || 'the search'} ${first.message.charAt(0).toLowerCase()}${first.message.slice(1)}`);
  return data as UserSearchRequest;
}

export function usersSearchRoutes(operation: DefineOperation, services: UserViewServices): void {
  operation<{ Body: UserSearchRequest | undefined }>(OPERATIONS.postUsersSearch, {
    description:
      'Criteria types EXACT, STARTS_WITH, CONTAINS, TERM, TERMS, MATCH_ALL, REQUIRED_FIELDS on id, name, email, state; operators AND, OR, NOT; by name unless sortBy or sort says otherwise. Deleted people are found only by a search that names the state field. expand takes the values of getUser.',
    schema: { body: UserSearchRequestSchema, response: { 200: UsersSearchResponseSchema, ...apiErrorResponses(403, 413, 415) } },
    act: async (request) => answer(services, principalOf(request), requireBody(request.body, request.headers, 'UserSearchRequest')),
  });

  operation<{ Querystring: { q64: string; expand?: unknown } }>(OPERATIONS.getUsersSearch, {
    description:
      'The q64 of a search answer (its currentPage, nextPage, previousPage), which carries the search and its expand. The SDK lists no expand values for this operation: none is accepted.',
    schema: {
      querystring: Type.Object(
        {
          q64: Type.String({ minLength: 1, maxLength: MAX_Q64 }),
          expand: Type.Optional(Type.Unknown()),
          integrationPresenceSource: Type.Optional(Type.String({ enum: ['MicrosoftTeams', 'ZoomPhone', 'EightByEight'] })),
        },
        { required: ['q64'] },
      ),
      response: { 200: UsersSearchResponseSchema, ...apiErrorResponses(403) },
    },
    act: async (request) => {
      if (request.query.expand !== undefined) {
        throw new ApiError(
          400,
          'invalid.query.param.value',
          "Invalid value for parameter expand: getUsersSearch lists no expand values; the q64 carries the search's own.",
          {
            details: [{ errorCode: 'invalid.query.param.value', fieldName: 'expand' }],
          },
        );
      }
      return answer(services, principalOf(request), searchOf(request.query.q64));
    },
  });
}
