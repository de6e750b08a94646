/**
 * The groups API (`GroupsApi`: getGroups, postGroups, getGroup, putGroup, deleteGroup; the
 * members and search are group-members.ts and groups-search.ts). What each requires is the
 * table of operations'; each route is one admin-core action (core/admin/groups.ts, which decides)
 * and its answer. Another organization's group, or one the caller may not see, is 404.
 */
import { Type } from '@sinclair/typebox';
import { groupViewerOf } from '../../core/admin/group-access.js';
import { ApiError } from '../../core/errors.js';
import { OPERATIONS } from '../../core/operations/table.js';
import type { SortOrder } from '../../core/sort-order.js';
import type { DefineOperation } from '../api-operation.js';
import { principalOf } from '../bearer.js';
import { changeOf, createDraftOf, renderGroups } from '../group-request.js';
import {
  type GroupCreate,
  GroupCreateSchema,
  GroupEntityListingSchema,
  GroupIdParamsSchema,
  GroupSchema,
  type GroupUpdate,
  GroupUpdateSchema,
} from '../group-schemas.js';
import { PAGE_NUMBER, PAGE_SIZE, pageLinks } from '../page-listing.js';
import { normalizeQueryLists } from '../query-list.js';
import { normalizeSortOrder, SortOrderQuery } from '../sort-order-query.js';
import { renderGroup } from '../render-directory.js';
import { requireBody } from '../request-body.js';
import { apiErrorResponses } from '../schemas.js';
import type { RouteServices } from './deps.js';

const PATH = '/api/v2/groups';
const MAX_IDS = 500;

interface GroupsQuery {
  pageSize?: number;
  pageNumber?: number;
  id?: string[];
  jabberId?: string[];
  sortOrder?: SortOrder;
}

export function groupsRoutes(operation: DefineOperation, { groups, permissions }: Pick<RouteServices, 'groups' | 'permissions'>): void {
  operation<{ Querystring: GroupsQuery }>(OPERATIONS.getGroups, {
    description:
      'By name. Lists the groups the caller may see (visibility: public, or members and owners, or owners; every group for a holder of directory:group:edit). tokend keeps no jabber ids: a jabberId filter matches no group.',
    schema: {
      querystring: Type.Object({
        pageSize: Type.Optional(Type.Integer({ minimum: PAGE_SIZE.min, maximum: PAGE_SIZE.max, default: PAGE_SIZE.default })),
        pageNumber: Type.Optional(Type.Integer({ minimum: PAGE_NUMBER.min, maximum: PAGE_NUMBER.max, default: PAGE_NUMBER.default })),
        id: Type.Optional(Type.Array(Type.String({ maxLength: 200 }), { maxItems: MAX_IDS, description: 'Only these groups (repeated or comma-separated)' })),
        jabberId: Type.Optional(Type.Array(Type.String({ maxLength: 200 }), { maxItems: MAX_IDS, description: 'Not with id' })),
        sortOrder: SortOrderQuery,
      }),
      response: { 200: GroupEntityListingSchema, ...apiErrorResponses(403) },
    },
    prepare: (request) => {
      normalizeQueryLists(request.query, ['id', 'jabberId']);
      normalizeSortOrder(request.query);
    },
    act: async (request) => {
      const principal = principalOf(request);
      const { pageSize = PAGE_SIZE.default, pageNumber = PAGE_NUMBER.default, id, jabberId, sortOrder } = request.query;
      if (id !== undefined && jabberId !== undefined) {
        throw new ApiError(400, 'invalid.query.param.value', 'Invalid value for parameter jabberId: cannot be used with id.', {
          details: [{ errorCode: 'invalid.query.param.value', fieldName: 'jabberId' }],
        });
      }
      const viewer = await groupViewerOf(permissions, principal);
      const all = jabberId !== undefined ? [] : await groups.listFor(principal.organization.id, viewer, id ?? null, sortOrder ?? 'ascending');
      const start = (pageNumber - 1) * pageSize;
      const page = all.slice(start, start + pageSize);
      const filters = {
        ...(id === undefined ? {} : { id }),
        ...(jabberId === undefined ? {} : { jabberId }),
        ...(sortOrder === undefined ? {} : { sortOrder: [sortOrder] }),
      };
      return { entities: await renderGroups(groups, page), ...pageLinks(PATH, { pageSize, pageNumber }, all.length, filters) };
    },
  });

  operation<{ Body: GroupCreate | undefined }>(OPERATIONS.postGroups, {
    description: 'Members are added afterwards (postGroupMembers). ownerIds are users of the organization.',
    schema: { body: GroupCreateSchema, response: { 200: GroupSchema, ...apiErrorResponses(403, 413, 415) } },
    act: async (request) => {
      const body = requireBody(request.body, request.headers, 'GroupCreate');
      const { group } = await groups.create(principalOf(request).organization, createDraftOf(body));
      return renderGroup(group, 0);
    },
  });

  operation<{ Params: { groupId: string } }>(OPERATIONS.getGroup, {
    schema: { params: GroupIdParamsSchema, response: { 200: GroupSchema, ...apiErrorResponses(403, 404) } },
    act: async (request) => {
      const principal = principalOf(request);
      const group = await groups.getFor(principal.organization, request.params.groupId, await groupViewerOf(permissions, principal));
      const [shown] = await renderGroups(groups, [group]);
      return shown;
    },
  });

  operation<{ Params: { groupId: string }; Body: GroupUpdate | undefined }>(OPERATIONS.putGroup, {
    description:
      "Changes the fields the body names (the others stay; `type` is set at creation) at the body's `version`: a stale version is 409 general.conflict and nothing changes.",
    schema: {
      params: GroupIdParamsSchema,
      body: GroupUpdateSchema,
      response: { 200: GroupSchema, ...apiErrorResponses(403, 404, 409, 413, 415) },
    },
    act: async (request) => {
      const { organization } = principalOf(request);
      const { groupId } = request.params;
      // An unknown group is 404 before its body is judged.
      await groups.get(organization, groupId);
      const body = requireBody(request.body, request.headers, 'GroupUpdate');
      const { group, memberIds } = await groups.update(organization, groupId, changeOf(body), body.version);
      return renderGroup(group, memberIds.length);
    },
  });

  operation<{ Params: { groupId: string } }>(OPERATIONS.deleteGroup, {
    description:
      "Removes the group and its memberships; its members' idle timeout follows from their next request, on every node. A group the organization's idle timeout names is 409 general.conflict: change the timeout first.",
    schema: { params: GroupIdParamsSchema, response: { 200: Type.Null(), ...apiErrorResponses(403, 404, 409) } },
    act: async (request, reply) => {
      const { organization } = principalOf(request);
      await groups.get(organization, request.params.groupId);
      await groups.delete(organization, request.params.groupId);
      return reply.code(200).send();
    },
  });
}
