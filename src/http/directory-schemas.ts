/**
 * Response schemas of the read side of the control plane (CONTRACT.md, "Control plane"), named
 * and shaped as the official SDK's models: `Organization`, `UserMe`, `AuthzDivision`,
 * `DomainOrganizationRole`, `OrganizationRoleEntityListing`, `OAuthScopeListing`. They drive
 * serialization (a field not listed here is never sent) and the OpenAPI document.
 */
import { type TSchema, Type } from '@sinclair/typebox';

export const OrganizationSchema = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    defaultLanguage: Type.String(),
    defaultCountryCode: Type.String(),
    thirdPartyOrgName: Type.String({ description: 'The name people type to sign in, and the orgName of the SAML2 bearer grant' }),
    features: Type.Record(Type.String(), Type.Boolean()),
    version: Type.Integer(),
    state: Type.String({ enum: ['active', 'inactive', 'deleted'] }),
    selfUri: Type.String(),
  },
  { title: 'Organization' },
);

export const AuthzDivisionSchema = Type.Object(
  { id: Type.String(), name: Type.String(), description: Type.String(), homeDivision: Type.Boolean(), selfUri: Type.String() },
  { title: 'AuthzDivision' },
);

const PermissionPolicySchema = Type.Object(
  {
    domain: Type.String(),
    entityName: Type.String(),
    // As the policy was given (postAuthorizationRoles, putAuthorizationRole), when it named them.
    policyName: Type.Optional(Type.String()),
    policyDescription: Type.Optional(Type.String()),
    allowConditions: Type.Optional(Type.Boolean()),
    actionSet: Type.Array(Type.String()),
  },
  { title: 'DomainPermissionPolicy' },
);

export const DomainOrganizationRoleSchema = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    // As given to the roles API; absent when none was.
    description: Type.Optional(Type.String()),
    defaultRoleId: Type.Optional(Type.String()),
    permissions: Type.Array(Type.String()),
    permissionPolicies: Type.Array(PermissionPolicySchema),
    // Present when asked: `userCount` (the SDK's default), `expand=unusedPermissions`.
    userCount: Type.Optional(Type.Integer()),
    unusedPermissions: Type.Optional(Type.Array(Type.String())),
    default: Type.Boolean(),
    selfUri: Type.String(),
  },
  { title: 'DomainOrganizationRole' },
);

/** The paging fields of every Genesys `...EntityListing` (page-listing.ts). */
export function entityListingSchema(entity: TSchema, title: string) {
  return Type.Object(
    {
      entities: Type.Array(entity),
      pageSize: Type.Integer(),
      pageNumber: Type.Integer(),
      total: Type.Integer(),
      pageCount: Type.Integer(),
      firstUri: Type.String(),
      selfUri: Type.String(),
      lastUri: Type.String(),
      nextUri: Type.Optional(Type.String()),
      previousUri: Type.Optional(Type.String()),
    },
    { title },
  );
}

export const OrganizationRoleEntityListingSchema = entityListingSchema(DomainOrganizationRoleSchema, 'OrganizationRoleEntityListing');

export const OAuthScopeListingSchema = Type.Object(
  {
    total: Type.Integer(),
    entities: Type.Array(Type.Object({ id: Type.String(), description: Type.String() }, { title: 'OAuthScope' })),
    selfUri: Type.String(),
  },
  { title: 'OAuthScopeListing' },
);
