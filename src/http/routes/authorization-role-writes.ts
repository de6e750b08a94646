/**
 * The roles API's writes (`AuthorizationApi`: postAuthorizationRoles, putAuthorizationRole,
 * patchAuthorizationRole, deleteAuthorizationRole), each one admin-core action
 * (core/admin/roles.ts, which decides: a caller writes only roles it holds) and its answer, the
 * role as getAuthorizationRole shows it. Another organization's role is 404, as an unknown id is;
 * an unknown role is 404 before its body is judged.
 */
import { Type } from '@sinclair/typebox';
import { roleContentOf } from '../../core/admin/role-policies.js';
import type { RoleDraft } from '../../core/admin/roles.js';
import type { Role, RoleDetails } from '../../core/models.js';
import { OPERATIONS } from '../../core/operations/table.js';
import type { DefineOperation } from '../api-operation.js';
import { principalOf } from '../bearer.js';
import { DomainOrganizationRoleSchema } from '../directory-schemas.js';
import { renderRole } from '../render-directory.js';
import { requireBody } from '../request-body.js';
import { type RoleBody, RoleCreateSchema, RoleIdParamsSchema, RolePatchSchema, RoleUpdateSchema } from '../role-schemas.js';
import { apiErrorResponses } from '../schemas.js';
import { grantorOf } from '../user-request.js';
import type { RouteServices } from './deps.js';

type Services = Pick<RouteServices, 'roles' | 'permissions'>;
type Params = { roleId: string };

/** Drops the fields left undefined, so that an absent one is absent in the stored JSON too. */
function detailsOf(details: RoleDetails): RoleDetails {
  const kept = Object.fromEntries(Object.entries(details).filter(([, value]) => value !== undefined && !(Array.isArray(value) && value.length === 0)));
  return kept as RoleDetails;
}

/**
 * What a body makes of the role: `existing` null for a create or a PUT (what the body leaves out
 * is empty, but a PUT keeps the defaultRoleId its SDK model cannot send), else a PATCH (what the
 * body leaves out stays; permissions and policies are replaced together when either is named).
 */
function draftOf(body: RoleBody, existing: Role | null, put: Role | null = null): Partial<RoleDraft> {
  const base = existing ?? put;
  const contentNamed = existing === null || body.permissions !== undefined || body.permissionPolicies !== undefined;
  const content = contentNamed ? roleContentOf(body.permissions, body.permissionPolicies) : null;
  const kept = existing?.details ?? {};
  const details = detailsOf({
    description: body.description ?? (existing ? kept.description : undefined),
    defaultRoleId: body.defaultRoleId ?? base?.details?.defaultRoleId,
    policyLabels: content ? content.labels : kept.policyLabels,
  });
  return {
    ...(body.name === undefined ? {} : { name: body.name }),
    ...(content ? { permissions: content.permissions } : {}),
    details,
  };
}

const WRITE_NOTE =
  'The caller must hold every permission of the role (and, to change or delete one, of the role as it is): 403 missing.permissions otherwise. permissions and permissionPolicies (one permission per action) together make the role; a policy with namedResources or a resourceConditionNode is 400, as tokend enforces neither.';

export function authorizationRoleWritesRoutes(operation: DefineOperation, { roles, permissions }: Services): void {
  operation<{ Body: RoleBody | undefined }>(OPERATIONS.postAuthorizationRoles, {
    description: `${WRITE_NOTE} A name another role of the organization has (in any letter case) is 400 constraint.validation.`,
    schema: { body: RoleCreateSchema, response: { 200: DomainOrganizationRoleSchema, ...apiErrorResponses(403, 413, 415) } },
    act: async (request) => {
      const principal = principalOf(request);
      const body = requireBody(request.body, request.headers, 'DomainOrganizationRoleCreate');
      const draft = draftOf(body, null) as RoleDraft;
      const role = await roles.create(principal.organization, draft, await grantorOf(permissions, principal));
      return renderRole(role, { userCount: 0 });
    },
  });

  operation<{ Params: Params; Body: RoleBody | undefined }>(OPERATIONS.putAuthorizationRole, {
    description: `${WRITE_NOTE} Replaces name, description, permissions and policies (left out: none); defaultRoleId stays unless given. Holders get the new permissions from their next request, on every node.`,
    schema: { params: RoleIdParamsSchema, body: RoleUpdateSchema, response: { 200: DomainOrganizationRoleSchema, ...apiErrorResponses(403, 404, 413, 415) } },
    act: async (request) => {
      const principal = principalOf(request);
      const { organization } = principal;
      const existing = await roles.get(organization.id, request.params.roleId);
      const body = requireBody(request.body, request.headers, 'DomainOrganizationRoleUpdate');
      const role = await roles.update(organization, existing, draftOf(body, null, existing), await grantorOf(permissions, principal));
      return renderRole(role, { userCount: (await roles.userCounts(organization.id)).get(role.id) ?? 0 });
    },
  });

  operation<{ Params: Params; Body: RoleBody | undefined }>(OPERATIONS.patchAuthorizationRole, {
    description: `${WRITE_NOTE} Changes the fields the body names; the others stay.`,
    schema: { params: RoleIdParamsSchema, body: RolePatchSchema, response: { 200: DomainOrganizationRoleSchema, ...apiErrorResponses(403, 404, 413, 415) } },
    act: async (request) => {
      const principal = principalOf(request);
      const { organization } = principal;
      const existing = await roles.get(organization.id, request.params.roleId);
      const body = requireBody(request.body, request.headers, 'DomainOrganizationRole');
      const role = await roles.update(organization, existing, draftOf(body, existing), await grantorOf(permissions, principal));
      return renderRole(role, { userCount: (await roles.userCounts(organization.id)).get(role.id) ?? 0 });
    },
  });

  operation<{ Params: Params }>(OPERATIONS.deleteAuthorizationRole, {
    description:
      'Takes the role from every person and client that holds it, at once: their tokens keep only what their other roles allow, from their next request, on every node. Answers 204.',
    schema: { params: RoleIdParamsSchema, response: { 204: Type.Null(), ...apiErrorResponses(403, 404) } },
    act: async (request, reply) => {
      const principal = principalOf(request);
      const role = await roles.get(principal.organization.id, request.params.roleId);
      await roles.delete(principal.organization, role, await grantorOf(permissions, principal));
      return reply.code(204).send();
    },
  });
}
