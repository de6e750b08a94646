/**
 * Response schemas of the read side of the control plane (CONTRACT.md, "Control plane"), named
 * and shaped as the official SDK's models: `Organization`, `UserMe`, `AuthzDivision`,
 * `DomainOrganizationRole`, `OrganizationRoleEntityListing`, `OAuthScopeListing`. They drive
 * serialization (a field not listed here is never sent) and the OpenAPI document.
 */
import { type TSchema, Type } from '@sinclair/typebox';

const organizationFields = {
  id: Type.String(),
  name: Type.String({ minLength: 1, maxLength: 255, description: 'Unique in any letter case: the name people type to sign in' }),
  defaultLanguage: Type.String({ maxLength: 35 }),
  defaultCountryCode: Type.String({ maxLength: 8 }),
  thirdPartyOrgName: Type.String({ description: 'The organization name: the name people type to sign in, and the orgName of the SAML2 bearer grant' }),
  thirdPartyURI: Type.String({ maxLength: 2000 }),
  domain: Type.String({ maxLength: 253 }),
  features: Type.Record(Type.String(), Type.Boolean(), { description: 'Fixed (docs/api.md, "Organization")' }),
  version: Type.Integer({ minimum: 1 }),
  state: Type.String({ enum: ['active', 'inactive', 'deleted'], description: 'Fixed: active' }),
  defaultSiteId: Type.String({ description: "Fixed: '' (tokend has no sites)" }),
  supportURI: Type.String({ maxLength: 2000 }),
  voicemailEnabled: Type.Boolean({ description: 'Fixed: false' }),
  productPlatform: Type.String({ description: 'Fixed: PureCloud' }),
  selfUri: Type.String(),
};

export const OrganizationSchema = Type.Object(organizationFields, { title: 'Organization' });

/** A PUT body: `version` as read; any other field may be left out (it keeps its value). */
export const OrganizationPutSchema = Type.Composite(
  [Type.Object({ version: organizationFields.version }), Type.Partial(Type.Omit(Type.Object(organizationFields), ['version']))],
  { additionalProperties: false, title: 'Organization' },
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

export const OAuthScopeSchema = Type.Object({ id: Type.String(), description: Type.String(), selfUri: Type.String() }, { title: 'OAuthScope' });

export const OAuthScopeListingSchema = Type.Object(
  {
    total: Type.Integer(),
    entities: Type.Array(OAuthScopeSchema),
    selfUri: Type.String(),
  },
  { title: 'OAuthScopeListing' },
);
