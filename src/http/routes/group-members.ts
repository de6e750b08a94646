/**
 * A group's members (`GroupsApi`: getGroupMembers, postGroupMembers, deleteGroupMembers).
 * Membership picks a person's idle token timeout, so a change drops the cached tokens of the
 * people it moved, here and on every node. Members are changed by a holder of
 * `directory:group:edit` or an owner of the group (core/admin/group-access.ts): 403
 * `missing.permissions` otherwise, 404 for a group the caller may not see.
 */
import { Type } from '@sinclair/typebox';
import { groupViewerOf } from '../../core/admin/group-access.js';
import { OPERATIONS } from '../../core/operations/table.js';
import type { SortOrder } from '../../core/sort-order.js';
import type { DefineOperation } from '../api-operation.js';
import { principalOf } from '../bearer.js';
import { GroupIdParamsSchema, type GroupMembersUpdate, GroupMembersUpdateSchema, MEMBERS_PER_REQUEST, UserEntityListingSchema } from '../group-schemas.js';
import { PAGE_NUMBER, PAGE_SIZE, pageLinks } from '../page-listing.js';
import { normalizeQueryLists } from '../query-list.js';
import { normalizeSortOrder, SortOrderQuery } from '../sort-order-query.js';
import { renderUser } from '../render-directory.js';
import { requireBody } from '../request-body.js';
import { apiErrorResponses } from '../schemas.js';
import type { RouteServices } from './deps.js';

/** getGroupMembers' `expand` values, as the SDK reference lists them (the members are shown without them for now: docs/api.md). */
export const MEMBER_EXPANDS = [
  'routingStatus',
  'presence',
  'integrationPresence',
  'conversationSummary',
  'outOfOffice',
  'geolocation',
  'station',
  'authorization',
  'lasttokenissued',
  'authorization.unusedRoles',
  'team',
  'workPlanBidRanks',
  'externalContactsSettings',
  'groups',
  'customAttributes',
  'profileSkills',
  'certifications',
  'locations',
  'skills',
  'languages',
  'languagePreference',
  'employerInfo',
  'biography',
  'dateLastLogin',
  'dateWelcomeSent',
] as const;

interface MembersQuery {
  pageSize?: number;
  pageNumber?: number;
  sortOrder?: SortOrder;
  expand?: string[];
}

/** Genesys answers a membership change with an empty object, accepted. */
const ACCEPTED = Type.Object({}, { title: 'Empty' });

export function groupMembersRoutes(operation: DefineOperation, { groups, permissions }: Pick<RouteServices, 'groups' | 'permissions'>): void {
  operation<{ Params: { groupId: string }; Querystring: MembersQuery }>(OPERATIONS.getGroupMembers, {
    description: 'Users (id, name, division, email, state, username, version, selfUri), by name. The expand values the SDK lists are accepted.',
    schema: {
      params: GroupIdParamsSchema,
      querystring: Type.Object({
        pageSize: Type.Optional(Type.Integer({ minimum: PAGE_SIZE.min, maximum: PAGE_SIZE.max, default: PAGE_SIZE.default })),
        pageNumber: Type.Optional(Type.Integer({ minimum: PAGE_NUMBER.min, maximum: PAGE_NUMBER.max, default: PAGE_NUMBER.default })),
        sortOrder: SortOrderQuery,
        expand: Type.Optional(Type.Array(Type.String({ enum: [...MEMBER_EXPANDS] }), { maxItems: MEMBER_EXPANDS.length })),
      }),
      response: { 200: UserEntityListingSchema, ...apiErrorResponses(403, 404) },
    },
    prepare: (request) => {
      normalizeQueryLists(request.query, ['expand']);
      normalizeSortOrder(request.query);
    },
    act: async (request) => {
      const principal = principalOf(request);
      const { organization } = principal;
      const { pageSize = PAGE_SIZE.default, pageNumber = PAGE_NUMBER.default, sortOrder, expand } = request.query;
      const group = await groups.getFor(organization, request.params.groupId, await groupViewerOf(permissions, principal));
      const descending = sortOrder === 'descending';
      const { users, total } = await groups.membersPage(group.id, (pageNumber - 1) * pageSize, pageSize, descending);
      const filters = { ...(sortOrder === undefined ? {} : { sortOrder: [sortOrder] }), ...(expand === undefined ? {} : { expand }) };
      return {
        entities: users.map((user) => renderUser(user, organization)),
        ...pageLinks(`/api/v2/groups/${group.id}/members`, { pageSize, pageNumber }, total, filters),
      };
    },
  });

  operation<{ Params: { groupId: string }; Body: GroupMembersUpdate | undefined }>(OPERATIONS.postGroupMembers, {
    description: `At most ${MEMBERS_PER_REQUEST} users of the organization; with \`version\`, a stale one is 409 general.conflict and nothing changes. Answers 202 with an empty object.`,
    schema: { params: GroupIdParamsSchema, body: GroupMembersUpdateSchema, response: { 202: ACCEPTED, ...apiErrorResponses(403, 404, 409, 413, 415) } },
    act: async (request, reply) => {
      const principal = principalOf(request);
      const body = requireBody(request.body, request.headers, 'GroupMembersUpdate');
      const viewer = await groupViewerOf(permissions, principal);
      await groups.addMembers(principal.organization, request.params.groupId, body.memberIds, body.version ?? null, viewer);
      return reply.code(202).send({});
    },
  });

  operation<{ Params: { groupId: string }; Querystring: { ids: string[] } }>(OPERATIONS.deleteGroupMembers, {
    description: `\`ids\`: at most ${MEMBERS_PER_REQUEST} user ids, comma-separated; ids that are not members are ignored. Answers 202 with an empty object.`,
    schema: {
      params: GroupIdParamsSchema,
      querystring: Type.Object(
        { ids: Type.Array(Type.String({ minLength: 1, maxLength: 200 }), { minItems: 1, maxItems: MEMBERS_PER_REQUEST }) },
        { required: ['ids'] },
      ),
      response: { 202: ACCEPTED, ...apiErrorResponses(403, 404) },
    },
    prepare: (request) => normalizeQueryLists(request.query, ['ids']),
    act: async (request, reply) => {
      const principal = principalOf(request);
      const viewer = await groupViewerOf(permissions, principal);
      await groups.removeMembers(principal.organization, request.params.groupId, request.query.ids, viewer);
      return reply.code(202).send({});
    },
  });
}
