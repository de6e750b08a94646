/**
 * getAuthorizationPermissions: the permissions tokend knows (core/permission-catalogue.ts), one
 * domain per entity, paged as Genesys pages (`pageSize` 1–500, default 25), narrowed by the SDK's
 * `queryType` (`domain` or `permission`) and `query` (comma-separated).
 */
import { Type } from '@sinclair/typebox';
import { permissionProblem } from '../../core/admin/directory-rules.js';
import { ApiError } from '../../core/errors.js';
import { OPERATIONS } from '../../core/operations/table.js';
import type { PermissionCatalogue, PermissionQuery } from '../../core/permission-catalogue.js';
import type { DefineOperation } from '../api-operation.js';
import { PermissionCollectionEntityListingSchema } from '../authorization-schemas.js';
import { principalOf } from '../bearer.js';
import { PAGE_NUMBER, PAGE_SIZE, pageListing } from '../page-listing.js';
import { normalizeQueryLists } from '../query-list.js';
import { apiErrorResponses } from '../schemas.js';

const PATH = '/api/v2/authorization/permissions';

interface PermissionsQuery {
  pageSize?: number;
  pageNumber?: number;
  queryType?: 'domain' | 'permission';
  query?: string[];
}

const invalidQuery = (field: string, problem: string) =>
  new ApiError(400, 'invalid.query.param.value', `Invalid value for parameter ${field}: ${problem}.`, {
    details: [{ errorCode: 'invalid.query.param.value', fieldName: field }],
  });

/** The query the SDK's two parameters make; a `query` says nothing without its type, and a permission must be one a role could hold. */
function permissionQueryOf(queryType: PermissionsQuery['queryType'], values: readonly string[] | undefined): PermissionQuery {
  if (queryType === undefined) {
    if (values !== undefined && values.length > 0) throw invalidQuery('queryType', 'required with query (domain or permission)');
    return null;
  }
  if (queryType === 'permission') {
    for (const value of values ?? []) {
      const problem = permissionProblem(value);
      if (problem) throw invalidQuery('query', problem);
    }
  }
  return { type: queryType, values: values ?? [] };
}

export function authorizationPermissionsRoutes(operation: DefineOperation, { permissionCatalogue }: { permissionCatalogue: PermissionCatalogue }): void {
  operation<{ Querystring: PermissionsQuery }>(OPERATIONS.getAuthorizationPermissions, {
    description:
      "One entity per domain, by domain. The permissions the table of operations enforces and those the organization's roles name (a wildcard names none). queryType=domain keeps the listed domains; queryType=permission the permissions matching one listed (wildcards allowed).",
    schema: {
      querystring: Type.Object({
        pageSize: Type.Optional(Type.Integer({ minimum: PAGE_SIZE.min, maximum: PAGE_SIZE.max, default: PAGE_SIZE.default })),
        pageNumber: Type.Optional(Type.Integer({ minimum: PAGE_NUMBER.min, maximum: PAGE_NUMBER.max, default: PAGE_NUMBER.default })),
        queryType: Type.Optional(Type.String({ enum: ['domain', 'permission'], description: 'What query lists' })),
        query: Type.Optional(
          Type.Array(Type.String({ maxLength: 200 }), { maxItems: 500, description: 'Domains or permissions (repeated or comma-separated)' }),
        ),
      }),
      response: { 200: PermissionCollectionEntityListingSchema, ...apiErrorResponses(403) },
    },
    prepare: (request) => normalizeQueryLists(request.query, ['query']),
    act: async (request) => {
      // The validator fills no defaults (validation.ts): they are applied here.
      const { pageSize = PAGE_SIZE.default, pageNumber = PAGE_NUMBER.default, queryType, query } = request.query;
      const domains = await permissionCatalogue.domains(principalOf(request).organization.id, permissionQueryOf(queryType, query));
      const filters = { ...(queryType === undefined ? {} : { queryType: [queryType] }), ...(query === undefined ? {} : { query: [query.join(',')] }) };
      return pageListing(domains, { pageSize, pageNumber }, PATH, filters);
    },
  });
}
