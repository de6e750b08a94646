/**
 * User search (`UsersApi`: postUsersSearch, and getUsersSearch, which pages one). The criteria
 * are core's (core/admin/user-search.ts). An answer's `currentPage`, `nextPage` and
 * `previousPage` are getUsersSearch URIs whose `q64` is the search itself, as base64 JSON, at
 * that page: the search is run again, over the people as they are then. The request's `expand`
 * (ours: the values getUser lists) shapes its results.
 */
import { Type } from '@sinclair/typebox';
import { searchUsers } from '../../core/admin/user-search.js';
import { ApiError } from '../../core/errors.js';
import { OPERATIONS } from '../../core/operations/table.js';
import type { Principal } from '../../core/principal.js';
import { USER_SEARCH_EXPAND_LIST } from '../../core/user-expand.js';
import type { DefineOperation } from '../api-operation.js';
import { principalOf } from '../bearer.js';
import { requireBody } from '../request-body.js';
import { MAX_Q64, searchOfQ64, searchPage } from '../search-request.js';
import { apiErrorResponses } from '../schemas.js';
import { type UserSearchRequest, UserSearchRequestSchema, UsersSearchResponseSchema } from '../user-schemas.js';
import { renderUsers, type UserViewServices } from '../user-views.js';

/** Runs a search for the caller and answers a `UsersSearchResponse`. */
async function answer(services: UserViewServices, principal: Principal, search: UserSearchRequest) {
  const expands = USER_SEARCH_EXPAND_LIST.parse(search.expand ?? []);
  const found = searchUsers(await services.users.everyone(principal.organization.id), search);
  const { paging, page } = searchPage('/api/v2/users/search', search, found);
  return {
    ...paging,
    types: ['users'],
    results: await renderUsers(services, principal, page, expands),
  };
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
      return answer(services, principalOf(request), searchOfQ64(request.query.q64, UserSearchRequestSchema) as UserSearchRequest);
    },
  });
}
