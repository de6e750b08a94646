/**
 * The users API (`UsersApi`: getUsers, postUsers, getUser, patchUser, deleteUser; roles,
 * passwords and search are user-roles.ts, user-passwords.ts and users-search.ts). What each
 * requires is the table of operations'; each route is one admin-core action
 * (core/admin/user-admin.ts, which decides) and its answer. Another organization's person is 404.
 */
import { Type } from '@sinclair/typebox';
import { createUser } from '../../core/admin/users.js';
import { ApiError } from '../../core/errors.js';
import { OPERATIONS } from '../../core/operations/table.js';
import type { SortOrder } from '../../core/sort-order.js';
import { USER_EXPAND_LIST, USER_EXPANDS, USERS_EXPAND_LIST } from '../../core/user-expand.js';
import type { DefineOperation } from '../api-operation.js';
import { principalOf } from '../bearer.js';
import { PAGE_NUMBER, PAGE_SIZE, pageLinks } from '../page-listing.js';
import { normalizeQueryLists } from '../query-list.js';
import { requireBody } from '../request-body.js';
import { apiErrorResponses } from '../schemas.js';
import { normalizeSortOrder, SortOrderQuery } from '../sort-order-query.js';
import { detailsOf, grantorOf, userChangeOf } from '../user-request.js';
import {
  type CreateUser,
  CreateUserSchema,
  type UpdateUser,
  UpdateUserSchema,
  UserEntityListingSchema,
  UserIdParamsSchema,
  UserSchema,
} from '../user-schemas.js';
import { renderUsers, type UserViewServices } from '../user-views.js';

const PATH = '/api/v2/users';
const MAX_IDS = 500;
const Id = Type.String({ maxLength: 200 });
const LIST_STATES = ['active', 'inactive', 'deleted', 'any'] as const;
const PRESENCE_SOURCES = ['MicrosoftTeams', 'ZoomPhone', 'EightByEight'];
/** Values of domains tokend does not run: accepted, and they change nothing (docs/api.md). */
const ignoredQuery = {
  integrationPresenceSource: Type.Optional(Type.String({ enum: PRESENCE_SOURCES, description: 'Accepted; presence is always Offline' })),
  userCustomAttributeSchemaIds: Type.Optional(Type.Array(Id, { maxItems: 50, description: 'Accepted; tokend keeps no custom attributes' })),
};
const ExpandQuery = Type.Optional(
  // No enum: values are matched in any letter case, and one the operation does not list gets a 400 naming it (core/user-expand.ts).
  Type.Array(Type.String({ maxLength: 100 }), { maxItems: 60, description: `Any of ${USER_EXPANDS.join(', ')}, in any letter case` }),
);

interface UsersQuery {
  pageSize?: number;
  pageNumber?: number;
  id?: string[];
  jabberId?: string[];
  sortOrder?: SortOrder;
  expand?: string[];
  state?: (typeof LIST_STATES)[number];
}

const oneOf = (field: string, message: string) =>
  new ApiError(400, 'invalid.query.param.value', `Invalid value for parameter ${field}: ${message}.`, {
    details: [{ errorCode: 'invalid.query.param.value', fieldName: field }],
  });

export function usersRoutes(operation: DefineOperation, services: UserViewServices): void {
  const { users, permissions } = services;

  operation<{ Querystring: UsersQuery }>(OPERATIONS.getUsers, {
    description:
      'By name (then id), read from an index a page at a time. state: active (the default), inactive, deleted or any. tokend keeps no jabber ids: a jabberId filter matches no one.',
    schema: {
      querystring: Type.Object({
        pageSize: Type.Optional(Type.Integer({ minimum: PAGE_SIZE.min, maximum: PAGE_SIZE.max, default: PAGE_SIZE.default })),
        pageNumber: Type.Optional(Type.Integer({ minimum: PAGE_NUMBER.min, maximum: PAGE_NUMBER.max, default: PAGE_NUMBER.default })),
        id: Type.Optional(Type.Array(Id, { maxItems: MAX_IDS, description: 'Only these people (repeated or comma-separated)' })),
        jabberId: Type.Optional(Type.Array(Id, { maxItems: MAX_IDS, description: 'Not with id' })),
        sortOrder: SortOrderQuery,
        expand: ExpandQuery,
        state: Type.Optional(Type.String({ enum: [...LIST_STATES] })),
        ...ignoredQuery,
      }),
      response: { 200: UserEntityListingSchema, ...apiErrorResponses(403) },
    },
    prepare: (request) => {
      normalizeQueryLists(request.query, ['id', 'jabberId', 'expand', 'userCustomAttributeSchemaIds']);
      normalizeSortOrder(request.query);
    },
    act: async (request) => {
      const principal = principalOf(request);
      const { pageSize = PAGE_SIZE.default, pageNumber = PAGE_NUMBER.default, id, jabberId, sortOrder, expand, state = 'active' } = request.query;
      if (id !== undefined && jabberId !== undefined) throw oneOf('jabberId', 'cannot be used with id');
      const expands = USERS_EXPAND_LIST.parse(expand ?? []);
      const { users: page, total } =
        jabberId !== undefined
          ? { users: [], total: 0 }
          : await users.page({
              organizationId: principal.organization.id,
              state,
              ids: id ?? null,
              descending: sortOrder === 'descending',
              offset: (pageNumber - 1) * pageSize,
              limit: pageSize,
            });
      const filters = {
        ...(id === undefined ? {} : { id }),
        ...(jabberId === undefined ? {} : { jabberId }),
        ...(sortOrder === undefined ? {} : { sortOrder: [sortOrder] }),
        ...(expand === undefined ? {} : { expand }),
        ...(request.query.state === undefined ? {} : { state: [state] }),
      };
      return { entities: await renderUsers(services, principal, page, expands), ...pageLinks(PATH, { pageSize, pageNumber }, total, filters) };
    },
  });

  operation<{ Body: CreateUser | undefined }>(OPERATIONS.postUsers, {
    description:
      "divisionId is the organization's home division. The password, when given, must meet the organization's password policy (400 naming the rule); without one the person cannot sign in until one is set. An email another person of the organization has (a deleted one included) is 409 general.conflict. Roles are given afterwards (putUserRoles).",
    schema: { body: CreateUserSchema, response: { 200: UserSchema, ...apiErrorResponses(403, 409, 413, 415) } },
    act: async (request) => {
      const principal = principalOf(request);
      const { organization } = principal;
      const body = requireBody(request.body, request.headers, 'CreateUser');
      if (body.divisionId !== organization.homeDivisionId) {
        throw new ApiError(
          400,
          'invalid.value',
          `no division with the id ${body.divisionId} in this organization (its home division is ${organization.homeDivisionId})`,
          {
            details: [{ errorCode: 'invalid.value', fieldName: 'divisionId' }],
          },
        );
      }
      const { user } = await createUser(users.deps, {
        organizationId: organization.id,
        name: body.name,
        email: body.email,
        ...(body.password === undefined ? {} : { password: body.password }),
        ...(body.state === undefined ? {} : { state: body.state as 'active' | 'inactive' }),
        details: detailsOf(body),
      });
      const [shown] = await renderUsers(services, principal, [user], new Set());
      return shown;
    },
  });

  operation<{ Params: { userId: string }; Querystring: { expand?: string[]; state?: 'active' | 'deleted' } }>(OPERATIONS.getUser, {
    description: 'A deleted person is 404 unless state=deleted (which finds only a deleted one).',
    schema: {
      params: UserIdParamsSchema,
      querystring: Type.Object({ expand: ExpandQuery, state: Type.Optional(Type.String({ enum: ['active', 'deleted'] })), ...ignoredQuery }),
      response: { 200: UserSchema, ...apiErrorResponses(403, 404) },
    },
    prepare: (request) => normalizeQueryLists(request.query, ['expand', 'userCustomAttributeSchemaIds']),
    act: async (request) => {
      const principal = principalOf(request);
      const expands = USER_EXPAND_LIST.parse(request.query.expand ?? []);
      const user = await users.get(principal.organization, request.params.userId, request.query.state ?? 'active');
      const [shown] = await renderUsers(services, principal, [user], expands);
      return shown;
    },
  });

  operation<{ Params: { userId: string }; Body: UpdateUser | undefined }>(OPERATIONS.patchUser, {
    description:
      "Changes the fields the body names at the body's version (a stale one is 409 general.conflict and nothing changes), of a person whose every role the caller holds. state inactive or deleted ends the person's tokens and sign-in sessions at once; active restores a deleted person. Fields of domains tokend does not run (chat, images, locations, skills, ...) are accepted and not kept.",
    schema: { params: UserIdParamsSchema, body: UpdateUserSchema, response: { 200: UserSchema, ...apiErrorResponses(403, 404, 409, 413, 415) } },
    act: async (request) => {
      const principal = principalOf(request);
      const { userId } = request.params;
      // An unknown person is 404 before the body is judged (a deleted one may be restored).
      await users.get(principal.organization, userId, 'any');
      const body = requireBody(request.body, request.headers, 'UpdateUser');
      const { user } = await users.update(principal.organization, userId, userChangeOf(body), body.version, await grantorOf(permissions, principal));
      const [shown] = await renderUsers(services, principal, [user], new Set());
      return shown;
    },
  });

  operation<{ Params: { userId: string } }>(OPERATIONS.deleteUser, {
    description:
      'The person becomes deleted (GET with state=deleted still reads them; PATCH state active restores them); every token and sign-in session of theirs ends at once, on every node. Answers an empty object.',
    schema: { params: UserIdParamsSchema, response: { 200: Type.Object({}, { title: 'Empty' }), ...apiErrorResponses(403, 404) } },
    act: async (request) => {
      const principal = principalOf(request);
      await users.delete(principal.organization, request.params.userId, await grantorOf(permissions, principal));
      return {};
    },
  });
}
