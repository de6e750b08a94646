/** Response schemas of the wire models (CONTRACT.md). They drive serialization and the OpenAPI document. */
import { type TSchema, Type } from '@sinclair/typebox';
import { GroupBundleSchema } from '../core/schemas.js';

const NamedEntity = Type.Object({ id: Type.String(), name: Type.Optional(Type.String()), selfUri: Type.Optional(Type.String()) });
const DateTime = Type.String({ format: 'date-time' });

export const OrgOAuthClientSchema = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    dateCreated: DateTime,
    dateModified: DateTime,
    createdBy: Type.Optional(NamedEntity),
    modifiedBy: Type.Optional(NamedEntity),
    authorizedGrantType: Type.String({ enum: ['CODE', 'TOKEN', 'SAML2-BEARER', 'PASSWORD', 'CLIENT-CREDENTIALS'] }),
    scope: Type.Optional(Type.Array(Type.String())),
    roleDivisions: Type.Optional(Type.Array(Type.Object({ roleId: Type.String(), divisionId: Type.String() }))),
    state: Type.String({ enum: ['active', 'disabled', 'inactive'] }),
    dateToDelete: Type.Optional(DateTime),
    organization: NamedEntity,
  },
  { title: 'OrgOAuthClient', description: 'The client that obtained the token; never its secret' },
);

export const TokenInfoSchema = Type.Object(
  {
    organization: NamedEntity,
    homeOrganization: NamedEntity,
    authorizedScope: Type.Array(Type.String()),
    clonedUser: Type.Optional(Type.Object({ id: Type.String(), organization: Type.Object({ id: Type.String() }) })),
    dateTokenIdles: Type.Optional(DateTime),
    OAuthClient: OrgOAuthClientSchema,
  },
  { title: 'TokenInfo' },
);

export const IdleTokenTimeoutResponseSchema = Type.Object(
  {
    enableIdleTokenTimeout: Type.Boolean(),
    idleTokenTimeoutSeconds: Type.Integer(),
    inactivityTimeoutUnit: Type.String({ enum: ['Minutes', 'Hours'] }),
    inactivityTimeoutGroupsEnabled: Type.Boolean(),
    inactivityTimeoutGroupBundles: Type.Array(GroupBundleSchema),
  },
  { title: 'IdleTokenTimeout' },
);

const ErrorDetailSchema = Type.Object({
  errorCode: Type.Optional(Type.String()),
  fieldName: Type.Optional(Type.String()),
  entityId: Type.Optional(Type.String()),
  entityName: Type.Optional(Type.String()),
});

export const ErrorBodySchema = Type.Object(
  {
    message: Type.String(),
    code: Type.String(),
    status: Type.Integer(),
    contextId: Type.String(),
    details: Type.Array(ErrorDetailSchema),
    errors: Type.Array(Type.Object({}, { additionalProperties: true })),
    messageWithParams: Type.Optional(Type.String()),
    messageParams: Type.Optional(Type.Record(Type.String(), Type.String())),
    entityId: Type.Optional(Type.String()),
    entityName: Type.Optional(Type.String()),
    limit: Type.Optional(Type.Object({ key: Type.String(), namespace: Type.String(), value: Type.Integer() }, { title: 'Limit' })),
  },
  { title: 'ErrorBody' },
);

export const OAuthTokenResponseSchema = Type.Object(
  {
    access_token: Type.String(),
    token_type: Type.Literal('bearer'),
    expires_in: Type.Integer(),
    refresh_token: Type.Optional(Type.String()),
  },
  { title: 'TokenResponse' },
);

export const OAuthErrorSchema = Type.Object({ error: Type.String(), description: Type.String(), error_description: Type.String() }, { title: 'OAuthError' });

/** The error responses every authenticated /api/v2 route can give. */
export function apiErrorResponses(...statuses: number[]): Record<number, TSchema> {
  const responses: Record<number, TSchema> = {};
  for (const status of [400, 401, 429, 503, ...statuses]) responses[status] = ErrorBodySchema;
  return responses;
}

export const BearerSecurity = [{ 'PureCloud OAuth': [] }];
