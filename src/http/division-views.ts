/**
 * Divisions and grants on the wire, as the official SDK's models spell them (`AuthzDivision`,
 * `AuthzDivisionEntityListing`, `AuthzSubject`, `AuthzGrant`, `RoleDivisionGrants`): the schemas
 * that check bodies and drive serialization, and the renderings of core's divisions and grants.
 */
import { Type } from '@sinclair/typebox';
import type { Subject, SubjectGrant } from '../core/admin/grants.js';
import type { Division, Organization } from '../core/models.js';
import { permissionPolicies } from '../core/permission-policies.js';
import { AuthzDivisionSchema, entityListingSchema } from './directory-schemas.js';

const Id = Type.String({ minLength: 1, maxLength: 200 });
/** Genesys takes at most this many grants in one bulk request (ours: it publishes no limit). */
export const GRANTS_PER_REQUEST = 500;

export const DivisionIdParamsSchema = Type.Object({ divisionId: Id });
export const SubjectIdParamsSchema = Type.Object({ subjectId: Id });
export const GrantParamsSchema = Type.Object({ subjectId: Id, divisionId: Id, roleId: Id });

/** An AuthzDivision as a request body: the read-only fields (id, homeDivision, objectCounts, selfUri) are accepted and ignored. */
export const AuthzDivisionBodySchema = Type.Object(
  {
    name: Type.String({ maxLength: 200 }),
    description: Type.Optional(Type.Union([Type.String({ maxLength: 500 }), Type.Null()])),
    id: Type.Optional(Type.String({ maxLength: 200 })),
    homeDivision: Type.Optional(Type.Boolean()),
    objectCounts: Type.Optional(Type.Record(Type.String(), Type.Integer())),
    selfUri: Type.Optional(Type.String({ maxLength: 2000 })),
  },
  { additionalProperties: false, title: 'AuthzDivision' },
);

export const AuthzDivisionEntityListingSchema = entityListingSchema(AuthzDivisionSchema, 'AuthzDivisionEntityListing');

export const RoleDivisionGrantsSchema = Type.Object(
  {
    grants: Type.Array(Type.Object({ roleId: Id, divisionId: Id }, { additionalProperties: false, title: 'RoleDivisionPair' }), {
      maxItems: GRANTS_PER_REQUEST,
    }),
  },
  { additionalProperties: false, title: 'RoleDivisionGrants' },
);

const AuthzGrantRoleSchema = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    policies: Type.Array(Type.Object({ domain: Type.String(), entityName: Type.String(), actions: Type.Array(Type.String()) }, { title: 'AuthzGrantPolicy' })),
    default: Type.Boolean(),
    selfUri: Type.String(),
  },
  { title: 'AuthzGrantRole' },
);

export const AuthzSubjectSchema = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    grants: Type.Array(
      Type.Object(
        {
          subjectId: Type.String(),
          division: AuthzDivisionSchema,
          role: AuthzGrantRoleSchema,
          grantMadeAt: Type.Optional(Type.String({ format: 'date-time' })),
        },
        { title: 'AuthzGrant' },
      ),
    ),
    version: Type.Integer(),
    selfUri: Type.String(),
  },
  { title: 'AuthzSubject' },
);

/** An AuthzDivision; the home one, written before it had a description, describes itself. */
export function renderDivision(division: Division, organization: Organization) {
  return {
    id: division.id,
    name: division.name,
    description: division.description ?? (division.home ? `The home division of ${organization.name}` : ''),
    homeDivision: division.home,
    selfUri: `/api/v2/authorization/divisions/${division.id}`,
  };
}

function renderGrant(subjectId: string, grant: SubjectGrant, organization: Organization) {
  const { role } = grant;
  return {
    subjectId,
    division: renderDivision(grant.division, organization),
    role: {
      id: role.id,
      name: role.name,
      policies: permissionPolicies(role.permissions).map((p) => ({ domain: p.domain, entityName: p.entityName, actions: p.actionSet })),
      default: false,
      selfUri: `/api/v2/authorization/roles/${role.id}`,
    },
    // tokend keeps no time for a grant in the home division (a role of the person): none is shown.
    ...(grant.grantedAt === null ? {} : { grantMadeAt: new Date(grant.grantedAt).toISOString() }),
  };
}

export function renderSubject({ user, grants }: Subject, organization: Organization) {
  return {
    id: user.id,
    name: user.name,
    grants: grants.map((grant) => renderGrant(user.id, grant, organization)),
    version: user.version,
    selfUri: `/api/v2/authorization/subjects/${user.id}`,
  };
}
