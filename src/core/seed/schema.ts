/** The seed file format (docs/configuration.md, "Seed file"). Ids are optional UUIDs; names resolve references. */
import { type Static, type TLiteral, type TUnion, Type } from '@sinclair/typebox';
import { ACCESS_TOKEN_VALIDITY, CLIENT_STATES, GRANT_TYPES, USER_STATES } from '../models.js';
import { IdleTokenTimeoutSchema } from '../schemas.js';

const Id = Type.Optional(Type.String({ format: 'uuid' }));
const Name = Type.String({ minLength: 1, maxLength: 200 });
const References = Type.Optional(Type.Array(Type.String({ minLength: 1 })));
const literals = <T extends string>(values: readonly T[]) => Type.Union(values.map((v) => Type.Literal(v))) as TUnion<TLiteral<T>[]>;

const RoleSeed = Type.Object({ id: Id, name: Name, permissions: Type.Array(Type.String({ minLength: 1 })) }, { additionalProperties: false });
const GroupSeed = Type.Object({ id: Id, name: Name }, { additionalProperties: false });
/** A division other than the home one: created when neither its id nor its name is there yet; then an admin's changes hold. */
const DivisionSeed = Type.Object({ id: Id, name: Name, description: Type.Optional(Type.String({ maxLength: 500 })) }, { additionalProperties: false });
const UserSeed = Type.Object(
  {
    id: Id,
    name: Name,
    email: Type.String({ format: 'email' }),
    password: Type.Optional(Type.String({ minLength: 1 })),
    roles: References,
    groups: References,
    // A seed disables or enables a person; deleting one is the API's or the command line's.
    state: Type.Optional(literals(USER_STATES.filter((state) => state !== 'deleted'))),
  },
  { additionalProperties: false },
);
const ClientSeed = Type.Object(
  {
    id: Id,
    name: Name,
    description: Type.Optional(Type.String({ maxLength: 2000 })),
    secret: Type.Optional(Type.String({ minLength: 1 })),
    authorizedGrantType: literals(GRANT_TYPES),
    roles: References,
    scope: Type.Optional(Type.Array(Type.String({ minLength: 1 }))),
    registeredRedirectUri: Type.Optional(Type.Array(Type.String({ format: 'uri' }))),
    accessTokenValiditySeconds: Type.Optional(Type.Integer({ minimum: ACCESS_TOKEN_VALIDITY.min, maximum: ACCESS_TOKEN_VALIDITY.max })),
    state: Type.Optional(literals(CLIENT_STATES)),
    /** A first-party app whose sign-ins skip the consent page (never settable through the API). */
    preAuthorized: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
const ProviderSeed = Type.Object(
  {
    kind: literals(['generic', 'okta', 'adfs', 'ping', 'gsuite', 'onelogin', 'salesforce', 'custom'] as const),
    /** A custom provider's id (a vendor slot keeps the one it has). */
    id: Id,
    name: Type.Optional(Name),
    disabled: Type.Optional(Type.Boolean()),
    issuerURI: Type.String({ minLength: 1, maxLength: 2048 }),
    relyingPartyIdentifier: Type.Optional(Type.String({ maxLength: 2048 })),
    certificate: Type.Optional(Type.String({ minLength: 1 })),
    certificates: Type.Optional(Type.Array(Type.String({ minLength: 1 }), { maxItems: 10 })),
    metadataURL: Type.Optional(Type.String({ maxLength: 2048 })),
    nameIdentifierFormat: Type.Optional(Type.String({ maxLength: 200 })),
    ssoTargetURI: Type.Optional(Type.String({ maxLength: 2048 })),
  },
  { additionalProperties: false },
);
const OrganizationSeed = Type.Object(
  {
    id: Id,
    name: Name,
    idleTokenTimeout: Type.Optional(IdleTokenTimeoutSchema),
    roles: Type.Optional(Type.Array(RoleSeed)),
    groups: Type.Optional(Type.Array(GroupSeed)),
    divisions: Type.Optional(Type.Array(DivisionSeed, { maxItems: 49 })),
    users: Type.Optional(Type.Array(UserSeed)),
    clients: Type.Optional(Type.Array(ClientSeed)),
    identityProviders: Type.Optional(Type.Array(ProviderSeed)),
  },
  { additionalProperties: false },
);

export const SeedFileSchema = Type.Object({ organizations: Type.Array(OrganizationSeed) }, { additionalProperties: false });
export type SeedFile = Static<typeof SeedFileSchema>;
export type OrganizationSeed = Static<typeof OrganizationSeed>;
export type RoleSeed = Static<typeof RoleSeed>;
export type UserSeed = Static<typeof UserSeed>;
export type ClientSeed = Static<typeof ClientSeed>;
