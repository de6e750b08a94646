/**
 * The wire models of a person's authorizations as the official SDK names them
 * (`OAuthAuthorization`, `OAuthAuthorizationListing`; CONTRACT.md, "Consent"). They drive
 * serialization (a field not listed is never sent) and the OpenAPI document.
 */
import { Type } from '@sinclair/typebox';

const DateTime = Type.String({ format: 'date-time' });
const EntityRef = Type.Object({ id: Type.String(), selfUri: Type.Optional(Type.String()) }, { title: 'DomainEntityRef' });

export const OAuthAuthorizationSchema = Type.Object(
  {
    client: Type.Object({ id: Type.String(), name: Type.String() }, { description: 'The app the person authorized' }),
    scope: Type.Array(Type.String(), { description: 'The scopes the person allowed the app' }),
    roles: Type.Array(Type.String(), { description: "Always empty: a person's Allow grants scopes, and the app's tokens carry the person's own roles" }),
    resourceOwner: EntityRef,
    dateCreated: DateTime,
    dateModified: DateTime,
    createdBy: Type.Optional(EntityRef),
    modifiedBy: Type.Optional(EntityRef),
    pending: Type.Boolean(),
    state: Type.String({ enum: ['Approved'] }),
    selfUri: Type.String(),
  },
  { title: 'OAuthAuthorization' },
);

export const OAuthAuthorizationListingSchema = Type.Object(
  { total: Type.Integer(), entities: Type.Array(OAuthAuthorizationSchema), selfUri: Type.String() },
  { title: 'OAuthAuthorizationListing' },
);

export const AuthorizationParamsSchema = Type.Object({ clientId: Type.String({ description: 'The client id' }) });
