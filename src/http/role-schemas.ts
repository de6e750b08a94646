/**
 * Request bodies of the roles API's writes, as the SDK's models name them: `DomainOrganizationRoleCreate`
 * (postAuthorizationRoles), `DomainOrganizationRoleUpdate` (putAuthorizationRole), `DomainOrganizationRole`
 * (patchAuthorizationRole), and the lists of user ids of putAuthorizationRoleUsersAdd/Remove. The
 * three role models take the same fields here (an SDK user sends back what it read); the ones
 * Genesys computes (`userCount`, licenses, `default`, ...) are accepted and ignored.
 */
import { type Static, Type } from '@sinclair/typebox';

const Text = (maxLength: number) => Type.String({ maxLength });
const Words = (maxItems: number) => Type.Array(Text(200), { maxItems });

const PolicySchema = Type.Object(
  {
    domain: Type.Optional(Text(200)),
    entityName: Type.Optional(Text(200)),
    policyName: Type.Optional(Text(200)),
    policyDescription: Type.Optional(Text(1000)),
    actionSet: Type.Optional(Words(100)),
    namedResources: Type.Optional(Words(100)),
    allowConditions: Type.Optional(Type.Boolean()),
    resourceConditionNode: Type.Optional(Type.Unknown({ description: 'Refused when given: tokend enforces no conditions' })),
  },
  { additionalProperties: false, title: 'DomainPermissionPolicy' },
);

const roleFields = {
  name: Text(200),
  description: Type.Optional(Text(1000)),
  defaultRoleId: Type.Optional(Text(200)),
  permissions: Type.Optional(Words(1000)),
  permissionPolicies: Type.Optional(Type.Array(PolicySchema, { maxItems: 500 })),
  // Read-only in the SDK's model: accepted, ignored.
  id: Type.Optional(Text(200)),
  selfUri: Type.Optional(Text(500)),
  unusedPermissions: Type.Optional(Words(1000)),
  userCount: Type.Optional(Type.Integer()),
  roleNeedsUpdate: Type.Optional(Type.Boolean()),
  baseLicense: Type.Optional(Text(200)),
  addonLicenses: Type.Optional(Words(100)),
  dateLicenseLastUpdated: Type.Optional(Text(100)),
  default: Type.Optional(Type.Boolean()),
  base: Type.Optional(Type.Boolean()),
};

export const RoleCreateSchema = Type.Object(roleFields, { additionalProperties: false, title: 'DomainOrganizationRoleCreate' });
export const RoleUpdateSchema = Type.Object(roleFields, { additionalProperties: false, title: 'DomainOrganizationRoleUpdate' });
export const RolePatchSchema = Type.Object(
  { ...roleFields, name: Type.Optional(roleFields.name) },
  { additionalProperties: false, title: 'DomainOrganizationRole' },
);
export type RoleBody = Static<typeof RolePatchSchema>;

export const RoleIdParamsSchema = Type.Object({ roleId: Type.String({ minLength: 1, maxLength: 200 }) });

/** At most a page of people at a time (the users listing's largest page). */
export const UserIdListSchema = Type.Array(Type.String({ minLength: 1, maxLength: 200 }), { maxItems: 500, title: 'UserIdList' });
