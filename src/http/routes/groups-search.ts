/**
 * Group search (`GroupsApi`: postGroupsSearch, and getGroupsSearch, which pages one). The
 * criteria are core's (core/admin/group-search.ts). An answer's `currentPage`, `nextPage` and
 * `previousPage` are getGroupsSearch URIs whose `q64` is the search itself, as base64 JSON, at
 * that page: the search is run again, over the groups as they are then.
 */
import { Type } from '@sinclair/typebox';
import { groupViewerOf } from '../../core/admin/group-access.js';
import { searchGroups } from '../../core/admin/group-search.js';
import { ApiError } from '../../core/errors.js';
import { OPERATIONS } from '../../core/operations/table.js';
import type { Principal } from '../../core/principal.js';
import type { DefineOperation } from '../api-operation.js';
import { principalOf } from '../bearer.js';
import { renderGroups } from '../group-request.js';
import { type GroupSearchRequest, GroupSearchRequestSchema, GroupsSearchResponseSchema } from '../group-schemas.js';
import { requireBody } from '../request-body.js';
import { MAX_Q64, searchOfQ64, searchPage } from '../search-request.js';
import { apiErrorResponses } from '../schemas.js';
import type { RouteServices } from './deps.js';

type Services = Pick<RouteServices, 'groups' | 'permissions'>;

/** Runs a search for the caller and answers a `GroupsSearchResponse`. */
async function answer({ groups, permissions }: Services, principal: Principal, search: GroupSearchRequest) {
  const viewer = await groupViewerOf(permissions, principal);
  const found = searchGroups(await groups.visibleTo(principal.organization.id, viewer), search);
  const { paging, page } = searchPage('/api/v2/groups/search', search, found);
  return {
    ...paging,
    types: ['groups'],
    results: await renderGroups(groups, page),
  };
}

export function groupsSearchRoutes(operation: DefineOperation, services: Services): void {
  operation<{ Body: GroupSearchRequest | undefined }>(OPERATIONS.postGroupsSearch, {
    description:
      'Criteria types EXACT, STARTS_WITH, CONTAINS, TERM, TERMS, MATCH_ALL, REQUIRED_FIELDS on id, name, description, state, type, visibility, email; operators AND, OR, NOT; by name unless sortBy or sort says otherwise. Only groups the caller may see.',
    schema: { body: GroupSearchRequestSchema, response: { 200: GroupsSearchResponseSchema, ...apiErrorResponses(403, 413, 415) } },
    act: async (request) => answer(services, principalOf(request), requireBody(request.body, request.headers, 'GroupSearchRequest')),
  });

  operation<{ Querystring: { q64: string; expand?: unknown } }>(OPERATIONS.getGroupsSearch, {
    description: 'The q64 of a search answer (its currentPage, nextPage, previousPage). The SDK lists no expand values for it: none is accepted.',
    schema: {
      querystring: Type.Object({ q64: Type.String({ minLength: 1, maxLength: MAX_Q64 }), expand: Type.Optional(Type.Unknown()) }, { required: ['q64'] }),
      response: { 200: GroupsSearchResponseSchema, ...apiErrorResponses(403) },
    },
    act: async (request) => {
      if (request.query.expand !== undefined) {
        throw new ApiError(400, 'invalid.query.param.value', 'Invalid value for parameter expand: a group search expands nothing.', {
          details: [{ errorCode: 'invalid.query.param.value', fieldName: 'expand' }],
        });
      }
      return answer(services, principalOf(request), searchOfQ64(request.query.q64, GroupSearchRequestSchema) as GroupSearchRequest);
    },
  });
}
