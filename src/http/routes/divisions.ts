/**
 * The divisions of AuthorizationApi (and ObjectsApi, which newer SDKs list them under):
 * getAuthorizationDivisions, postAuthorizationDivisions, getAuthorizationDivision,
 * putAuthorizationDivision, deleteAuthorizationDivision, getAuthorizationDivisionsLimit. Each is
 * one call into the admin core (core/admin/divisions.ts), which decides; another organization's
 * division is 404.
 */
import { Type } from '@sinclair/typebox';
import { DIVISION_LIMIT, type DivisionDraft } from '../../core/admin/divisions.js';
import { ApiError } from '../../core/errors.js';
import { normalForm } from '../../core/normal-form.js';
import { OPERATIONS } from '../../core/operations/table.js';
import type { DefineOperation } from '../api-operation.js';
import { principalOf } from '../bearer.js';
import { AuthzDivisionSchema } from '../directory-schemas.js';
import { AuthzDivisionBodySchema, AuthzDivisionEntityListingSchema, DivisionIdParamsSchema, renderDivision } from '../division-views.js';
import { PAGE_NUMBER, PAGE_SIZE, pageListing } from '../page-listing.js';
import { normalizeQueryLists } from '../query-list.js';
import { requireBody } from '../request-body.js';
import { apiErrorResponses } from '../schemas.js';
import type { RouteServices } from './deps.js';

const PATH = '/api/v2/authorization/divisions';

interface DivisionsQuery {
  pageSize?: number;
  pageNumber?: number;
  sortBy?: string;
  expand?: string[];
  nextPage?: string;
  previousPage?: string;
  objectCount?: boolean;
  id?: string[];
  name?: string;
}

type DivisionBody = { name: string; description?: string | null };

const draftOf = (body: DivisionBody): DivisionDraft => ({ name: body.name, ...(body.description === undefined ? {} : { description: body.description }) });

export function divisionsRoutes(operation: DefineOperation, { divisions }: Pick<RouteServices, 'divisions'>): void {
  operation<{ Querystring: DivisionsQuery }>(OPERATIONS.getAuthorizationDivisions, {
    description:
      'By name. name: divisions whose name contains it, in any letter case. sortBy, expand, nextPage, previousPage and objectCount are accepted and ignored (tokend counts no objects by division).',
    schema: {
      querystring: Type.Object({
        pageSize: Type.Optional(Type.Integer({ minimum: PAGE_SIZE.min, maximum: PAGE_SIZE.max, default: PAGE_SIZE.default })),
        pageNumber: Type.Optional(Type.Integer({ minimum: PAGE_NUMBER.min, maximum: PAGE_NUMBER.max, default: PAGE_NUMBER.default })),
        sortBy: Type.Optional(Type.String({ maxLength: 100 })),
        expand: Type.Optional(Type.Array(Type.String({ maxLength: 100 }), { maxItems: 20 })),
        nextPage: Type.Optional(Type.String({ maxLength: 2000 })),
        previousPage: Type.Optional(Type.String({ maxLength: 2000 })),
        objectCount: Type.Optional(Type.Boolean()),
        id: Type.Optional(Type.Array(Type.String({ maxLength: 200 }), { maxItems: 500, description: 'Only these divisions (repeated or comma-separated)' })),
        name: Type.Optional(Type.String({ maxLength: 200, description: 'Divisions whose name contains this, in any letter case' })),
      }),
      response: { 200: AuthzDivisionEntityListingSchema, ...apiErrorResponses(403) },
    },
    prepare: (request) => normalizeQueryLists(request.query, ['id', 'expand']),
    act: async (request) => {
      const { organization } = principalOf(request);
      const { pageSize = PAGE_SIZE.default, pageNumber = PAGE_NUMBER.default, id = [], name } = request.query;
      const ids = new Set(id);
      const term = name === undefined ? null : normalForm(name);
      const found = (await divisions.list(organization)).filter(
        (d) => (ids.size === 0 || ids.has(d.id)) && (term === null || normalForm(d.name).includes(term)),
      );
      const filters = { ...(id.length === 0 ? {} : { id }), ...(name === undefined ? {} : { name: [name] }) };
      const page = pageListing(found, { pageSize, pageNumber }, PATH, filters);
      return { ...page, entities: page.entities.map((d) => renderDivision(d, organization)) };
    },
  });

  operation<{ Body: DivisionBody | undefined }>(OPERATIONS.postAuthorizationDivisions, {
    description: `A name unique in the organization (any letter case); at most ${DIVISION_LIMIT} divisions, the home one included.`,
    schema: { body: AuthzDivisionBodySchema, response: { 200: AuthzDivisionSchema, ...apiErrorResponses(403, 413, 415) } },
    act: async (request) => {
      const { organization } = principalOf(request);
      const body = requireBody(request.body, request.headers, 'AuthzDivision');
      return renderDivision(await divisions.create(organization, draftOf(body)), organization);
    },
  });

  operation(OPERATIONS.getAuthorizationDivisionsLimit, {
    description: `Always ${DIVISION_LIMIT}: tokend's limit, the same for every organization.`,
    schema: { response: { 200: Type.Integer(), ...apiErrorResponses(403) } },
    act: () => DIVISION_LIMIT,
  });

  operation<{ Params: { divisionId: string }; Querystring: { objectCount?: boolean } }>(OPERATIONS.getAuthorizationDivision, {
    description: 'objectCount is accepted and ignored.',
    schema: {
      params: DivisionIdParamsSchema,
      querystring: Type.Object({ objectCount: Type.Optional(Type.Boolean()) }),
      response: { 200: AuthzDivisionSchema, ...apiErrorResponses(403, 404) },
    },
    act: async (request) => {
      const { organization } = principalOf(request);
      return renderDivision(await divisions.get(organization, request.params.divisionId), organization);
    },
  });

  operation<{ Params: { divisionId: string }; Body: DivisionBody | undefined }>(OPERATIONS.putAuthorizationDivision, {
    description: 'Replaces the name and the description (left out: none). The home division keeps its name.',
    schema: { params: DivisionIdParamsSchema, body: AuthzDivisionBodySchema, response: { 200: AuthzDivisionSchema, ...apiErrorResponses(403, 404, 413, 415) } },
    act: async (request) => {
      const { organization } = principalOf(request);
      // An unknown division is 404 before the body is judged.
      await divisions.get(organization, request.params.divisionId);
      const body = requireBody(request.body, request.headers, 'AuthzDivision');
      return renderDivision(await divisions.update(organization, request.params.divisionId, draftOf(body)), organization);
    },
  });

  operation<{ Params: { divisionId: string }; Querystring: { force?: boolean } }>(OPERATIONS.deleteAuthorizationDivision, {
    description:
      'The home division, or one that holds grants or clients\u2019 roles, is 409 general.conflict and stays. force=true is refused (400): tokend never deletes the grants a division holds along with it.',
    schema: {
      params: DivisionIdParamsSchema,
      querystring: Type.Object({ force: Type.Optional(Type.Boolean()) }),
      response: { 204: Type.Null(), ...apiErrorResponses(403, 404, 409) },
    },
    act: async (request, reply) => {
      const { organization } = principalOf(request);
      if (request.query.force === true) throw forceRefused();
      await divisions.delete(organization, request.params.divisionId);
      return reply.code(204).send();
    },
  });
}

function forceRefused() {
  return new ApiError(400, 'invalid.query.param.value', 'Invalid value for parameter force: tokend deletes only a division that holds nothing.', {
    details: [{ errorCode: 'invalid.query.param.value', fieldName: 'force' }],
  });
}
