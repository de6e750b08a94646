/**
 * The OAuth clients API's wire models as the official SDK defines them (`OAuthClientRequest`,
 * `OAuthClient`, `OAuthClientEntityListing`). The request schema is the first check of a body
 * (types, enums, bounds: 400 naming the field); the client rules (core/admin/client-rules.ts)
 * are the second. Bounds on every list keep one request's work small.
 */
import { type Static, Type } from '@sinclair/typebox';
import { entityListingSchema } from '../directory-schemas.js';
import { ACCESS_TOKEN_VALIDITY, CLIENT_STATES, GRANT_TYPES } from '../../core/models.js';

const MAX_LIST = 100;
const Text = (maxLength: number) => Type.String({ minLength: 1, maxLength });
const DateTime = Type.String({ format: 'date-time' });
const RoleDivision = Type.Object({ roleId: Text(200), divisionId: Text(200) }, { additionalProperties: false, title: 'RoleDivision' });

export const OAuthClientRequestSchema = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200, description: 'The name of the OAuth client' }),
    accessTokenValiditySeconds: Type.Optional(
      Type.Integer({
        minimum: ACCESS_TOKEN_VALIDITY.min,
        maximum: ACCESS_TOKEN_VALIDITY.max,
        description: `Token lifetime in seconds (default ${ACCESS_TOKEN_VALIDITY.default})`,
      }),
    ),
    description: Type.Optional(Type.String({ maxLength: 2000 })),
    registeredRedirectUri: Type.Optional(Type.Array(Text(2000), { maxItems: MAX_LIST, description: 'Absolute URIs; CODE and TOKEN clients need one' })),
    roleIds: Type.Optional(Type.Array(Text(200), { maxItems: MAX_LIST, description: 'Deprecated: use roleDivisions (each gets the home division)' })),
    authorizedGrantType: Type.String({ enum: [...GRANT_TYPES] }),
    scope: Type.Optional(Type.Array(Text(200), { maxItems: MAX_LIST, description: 'User-grant clients only' })),
    roleDivisions: Type.Optional(Type.Array(RoleDivision, { maxItems: MAX_LIST, description: 'CLIENT-CREDENTIALS clients only' })),
    state: Type.Optional(Type.String({ enum: [...CLIENT_STATES] })),
    dateToDelete: Type.Optional(DateTime),
  },
  { additionalProperties: false, title: 'OAuthClientRequest' },
);
export type OAuthClientRequest = Static<typeof OAuthClientRequestSchema>;

const EntityRef = Type.Object({ id: Type.String(), selfUri: Type.Optional(Type.String()) }, { title: 'DomainEntityRef' });

const clientFields = {
  id: Type.String(),
  name: Type.String(),
  accessTokenValiditySeconds: Type.Integer(),
  description: Type.Optional(Type.String()),
  registeredRedirectUri: Type.Array(Type.String()),
  roleIds: Type.Array(Type.String()),
  dateCreated: DateTime,
  dateModified: DateTime,
  createdBy: Type.Optional(EntityRef),
  modifiedBy: Type.Optional(EntityRef),
  authorizedGrantType: Type.String({ enum: [...GRANT_TYPES] }),
  scope: Type.Array(Type.String()),
  roleDivisions: Type.Array(Type.Object({ roleId: Type.String(), divisionId: Type.String() })),
  state: Type.String({ enum: [...CLIENT_STATES] }),
  dateToDelete: Type.Optional(DateTime),
  selfUri: Type.String(),
};

/** A client as every read shows it: the serializer drops anything else, the secret included. */
export const OAuthClientSchema = Type.Object(clientFields, { title: 'OAuthClient' });

/** The answers to create and to regenerate: the one time the secret is shown. */
export const OAuthClientWithSecretSchema = Type.Object({ ...clientFields, secret: Type.String() }, { title: 'OAuthClient' });

export const OAuthClientEntityListingSchema = entityListingSchema(OAuthClientSchema, 'OAuthClientEntityListing');

export const ClientIdParamsSchema = Type.Object({ clientId: Type.String({ description: 'Client ID' }) });
