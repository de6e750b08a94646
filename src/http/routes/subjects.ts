/**
 * The subjects of AuthorizationApi: a person's grants of roles in divisions
 * (getAuthorizationSubjectsMe, getAuthorizationSubject, postAuthorizationSubjectDivisionRole,
 * deleteAuthorizationSubjectDivisionRole, the bulk add, remove and replace) and the divisions in
 * which the caller holds a permission (getAuthorizationDivisionspermittedMe). Subjects are
 * people: tokend has no group grants (subjectType PC_USER only). Each is one call into the admin
 * core (core/admin/grants.ts), which decides: a caller changes the grants of only a person whose
 * every role it holds, and gives only roles it holds (403 `missing.permissions`).
 */
import { Type } from '@sinclair/typebox';
import { permissionProblem } from '../../core/admin/directory-rules.js';
import { ApiError } from '../../core/errors.js';
import type { RoleDivision } from '../../core/models.js';
import { OPERATIONS } from '../../core/operations/table.js';
import type { Principal } from '../../core/principal.js';
import type { DefineOperation } from '../api-operation.js';
import { principalOf } from '../bearer.js';
import { AuthzDivisionSchema } from '../directory-schemas.js';
import { AuthzSubjectSchema, GrantParamsSchema, renderDivision, renderSubject, RoleDivisionGrantsSchema, SubjectIdParamsSchema } from '../division-views.js';
import { normalForm } from '../../core/normal-form.js';
import { requireBody } from '../request-body.js';
import { apiErrorResponses } from '../schemas.js';
import { grantorOf } from '../user-request.js';
import type { RouteServices } from './deps.js';

type Services = Pick<RouteServices, 'grants' | 'permissions'>;
type GrantParams = { subjectId: string; divisionId: string; roleId: string };
type BulkRoute = { Params: { subjectId: string }; Body: { grants: RoleDivision[] } | undefined; Querystring: { subjectType?: string } };

const invalidQuery = (field: string, problem: string) =>
  new ApiError(400, 'invalid.query.param.value', `Invalid value for parameter ${field}: ${problem}.`, {
    details: [{ errorCode: 'invalid.query.param.value', fieldName: field }],
  });

/** subjectType: only people are subjects here. */
const SubjectTypeQuery = Type.Object({
  subjectType: Type.Optional(Type.String({ enum: ['PC_USER'], description: 'PC_USER: tokend has no group or client grants' })),
});

export function subjectsRoutes(operation: DefineOperation, { grants, permissions }: Services): void {
  const grantor = (principal: Principal) => grantorOf(permissions, principal);

  operation(OPERATIONS.getAuthorizationSubjectsMe, {
    schema: { response: { 200: AuthzSubjectSchema, ...apiErrorResponses(403) } },
    act: async (request) => {
      const { organization, user } = principalOf(request);
      return renderSubject(await grants.subject(organization, user?.id ?? ''), organization);
    },
  });

  operation<{ Params: { subjectId: string } }>(OPERATIONS.getAuthorizationSubject, {
    description: 'A person of the organization (a deleted one is 404). A grant in the home division carries no grantMadeAt: tokend keeps no time for it.',
    schema: { params: SubjectIdParamsSchema, response: { 200: AuthzSubjectSchema, ...apiErrorResponses(403, 404) } },
    act: async (request) => {
      const { organization } = principalOf(request);
      return renderSubject(await grants.subject(organization, request.params.subjectId), organization);
    },
  });

  operation<{ Params: GrantParams; Querystring: { subjectType?: string } }>(OPERATIONS.postAuthorizationSubjectDivisionRole, {
    description: 'A grant the person has already is no error.',
    schema: { params: GrantParamsSchema, querystring: SubjectTypeQuery, response: { 204: Type.Null(), ...apiErrorResponses(403, 404, 409) } },
    act: async (request, reply) => {
      const principal = principalOf(request);
      const { subjectId, divisionId, roleId } = request.params;
      await grants.add(principal.organization, subjectId, [{ roleId, divisionId }], await grantor(principal), 'path');
      return reply.code(204).send();
    },
  });

  operation<{ Params: GrantParams }>(OPERATIONS.deleteAuthorizationSubjectDivisionRole, {
    description: 'A grant the person does not have is no error. Their tokens lose what it allowed from their next request, on every node.',
    schema: { params: GrantParamsSchema, response: { 204: Type.Null(), ...apiErrorResponses(403, 404, 409) } },
    act: async (request, reply) => {
      const principal = principalOf(request);
      const { subjectId, divisionId, roleId } = request.params;
      await grants.remove(principal.organization, subjectId, [{ roleId, divisionId }], await grantor(principal), 'path');
      return reply.code(204).send();
    },
  });

  const bulk = (op: typeof OPERATIONS.postAuthorizationSubjectBulkadd, description: string, act: 'add' | 'remove' | 'replace') =>
    operation<BulkRoute>(op, {
      description,
      schema: {
        params: SubjectIdParamsSchema,
        body: RoleDivisionGrantsSchema,
        querystring: SubjectTypeQuery,
        response: { 204: Type.Null(), ...apiErrorResponses(403, 404, 409, 413, 415) },
      },
      act: async (request, reply) => {
        const principal = principalOf(request);
        // An unknown person is 404 before the body is judged.
        await grants.subject(principal.organization, request.params.subjectId);
        const pairs = requireBody(request.body, request.headers, 'RoleDivisionGrants').grants;
        const by = await grantor(principal);
        const { organization } = principal;
        if (act === 'replace') await grants.replace(organization, request.params.subjectId, pairs, by);
        else await grants[act](organization, request.params.subjectId, pairs, by, 'body');
        return reply.code(204).send();
      },
    });
  bulk(OPERATIONS.postAuthorizationSubjectBulkadd, 'Adds the grants; those the person has already stay.', 'add');
  bulk(OPERATIONS.postAuthorizationSubjectBulkremove, 'Removes the grants; one the person does not have is no error.', 'remove');
  bulk(OPERATIONS.postAuthorizationSubjectBulkreplace, "The person's grants become exactly these (an empty list removes every one).", 'replace');

  operation<{ Querystring: { permission: string; name?: string } }>(OPERATIONS.getAuthorizationDivisionspermittedMe, {
    description:
      "The divisions in which one of the caller's grants (a client's roleDivisions) carries the permission, by name; a grant counts in its own division only. name: divisions whose name contains it, in any letter case.",
    schema: {
      querystring: Type.Object({ permission: Type.String({ maxLength: 200 }), name: Type.Optional(Type.String({ maxLength: 200 })) }),
      response: { 200: Type.Array(AuthzDivisionSchema), ...apiErrorResponses(403) },
    },
    act: async (request) => {
      const principal = principalOf(request);
      const { permission, name } = request.query;
      const problem = permissionProblem(permission);
      if (problem) throw invalidQuery('permission', problem);
      const term = name === undefined ? null : normalForm(name);
      const divisions = (await grants.permittedDivisions(principal, permission)).filter((d) => term === null || normalForm(d.name).includes(term));
      return divisions.map((d) => renderDivision(d, principal.organization));
    },
  });
}
