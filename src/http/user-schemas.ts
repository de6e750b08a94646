/**
 * The users API's wire models as the official SDK defines them (`User`, `UserMe`,
 * `UserEntityListing`, `CreateUser`, `UpdateUser`, `UserAuthorization`, `UserSearchRequest`,
 * `UsersSearchResponse`, `ChangePasswordRequest`, `ChangeMyPasswordRequest`). Request schemas are
 * the first check of a body (types, enums, bounds: 400 naming the field); the admin core
 * (core/admin/user-admin.ts) is the second. Every list is bounded.
 */
import { type Static, Type } from '@sinclair/typebox';
import type { SearchCriterion } from '../core/admin/search-criteria.js';
import { USER_STATES } from '../core/models.js';
import { entityListingSchema } from './directory-schemas.js';
import { searchRequestFields } from './search-request.js';
import { TokenInfoSchema } from './schemas.js';

const Text = (maxLength: number) => Type.String({ maxLength });
/** Fields of a domain tokend does not run, answered as fixed values (core/user-expand.ts): any object. */
const Anything = Type.Unsafe<Record<string, unknown>>({ type: 'object', additionalProperties: true });
const DivisionRef = Type.Object({ id: Type.String(), name: Type.String(), selfUri: Type.String() }, { title: 'Division' });

const ContactSchema = Type.Object(
  {
    address: Type.Optional(Text(200)),
    display: Type.Optional(Text(200)),
    mediaType: Type.Optional(Type.String({ enum: ['PHONE', 'EMAIL', 'SMS'] })),
    type: Type.Optional(Type.String({ enum: ['PRIMARY', 'WORK', 'WORK2', 'WORK3', 'WORK4', 'HOME', 'MOBILE', 'MAIN'] })),
    extension: Type.Optional(Text(50)),
    countryCode: Type.Optional(Text(10)),
    integration: Type.Optional(Text(50)),
  },
  { additionalProperties: false, title: 'Contact' },
);

const RoleRef = Type.Object({ id: Type.String(), name: Type.String() }, { title: 'DomainRole' });
const PermissionPolicy = Type.Object(
  { domain: Type.String(), entityName: Type.String(), actionSet: Type.Array(Type.String()) },
  { title: 'ResourcePermissionPolicy' },
);

export const UserAuthorizationSchema = Type.Object(
  {
    roles: Type.Array(RoleRef),
    unusedRoles: Type.Optional(Type.Array(RoleRef)),
    permissions: Type.Array(Type.String()),
    permissionPolicies: Type.Array(PermissionPolicy),
  },
  { title: 'UserAuthorization' },
);

/** The fields of the SDK's User that tokend fills; the expands add the optional ones. */
const userFields = {
  id: Type.String(),
  name: Type.String(),
  division: DivisionRef,
  email: Type.String(),
  department: Type.Optional(Type.String()),
  title: Type.Optional(Type.String()),
  preferredName: Type.Optional(Type.String()),
  addresses: Type.Optional(Type.Array(ContactSchema)),
  state: Type.String({ enum: [...USER_STATES] }),
  username: Type.String(),
  version: Type.Integer(),
  routingStatus: Type.Optional(Anything),
  presence: Type.Optional(Anything),
  integrationPresence: Type.Optional(Anything),
  conversationSummary: Type.Optional(Anything),
  outOfOffice: Type.Optional(Anything),
  geolocation: Type.Optional(Anything),
  station: Type.Optional(Anything),
  authorization: Type.Optional(UserAuthorizationSchema),
  profileSkills: Type.Optional(Type.Array(Type.String())),
  certifications: Type.Optional(Type.Array(Type.String())),
  locations: Type.Optional(Type.Array(Anything)),
  groups: Type.Optional(Type.Array(Type.Object({ id: Type.String(), name: Type.String(), selfUri: Type.String() }, { title: 'Group' }))),
  skills: Type.Optional(Type.Array(Anything)),
  languages: Type.Optional(Type.Array(Anything)),
  employerInfo: Type.Optional(Anything),
  biography: Type.Optional(Anything),
  lastTokenIssued: Type.Optional(Type.Object({ dateIssued: Type.Optional(Type.String({ format: 'date-time' })) }, { title: 'OAuthLastTokenIssued' })),
  dateLastLogin: Type.Optional(Type.String({ format: 'date-time' })),
  selfUri: Type.String(),
};

export const UserSchema = Type.Object(userFields, { title: 'User' });
export const UserEntityListingSchema = entityListingSchema(UserSchema, 'UserEntityListing');

export const UserMeSchema = Type.Object(
  {
    ...userFields,
    date: Type.Optional(Type.Object({ currentDate: Type.String({ format: 'date-time' }) }, { title: 'ServerDate' })),
    geolocationSettings: Type.Optional(Anything),
    organization: Type.Optional(Anything),
    presenceDefinitions: Type.Optional(Type.Array(Anything)),
    divisionedPresenceDefinitions: Type.Optional(Type.Array(Anything)),
    locationDefinitions: Type.Optional(Type.Array(Anything)),
    orgAuthorization: Type.Optional(Type.Array(Anything)),
    orgProducts: Type.Optional(Type.Array(Anything)),
    favorites: Type.Optional(Type.Array(Anything)),
    superiors: Type.Optional(Type.Array(Anything)),
    directReports: Type.Optional(Type.Array(Anything)),
    adjacents: Type.Optional(Anything),
    routingSkills: Type.Optional(Type.Array(Anything)),
    fieldConfigs: Type.Optional(Anything),
    token: Type.Optional(TokenInfoSchema),
    trustors: Type.Optional(Type.Array(Anything)),
  },
  { title: 'UserMe' },
);

/** Kept and answered back (core/models.ts UserDetails). */
const keptFields = {
  department: Type.Optional(Text(200)),
  title: Type.Optional(Text(200)),
  preferredName: Type.Optional(Text(200)),
  addresses: Type.Optional(Type.Array(ContactSchema, { maxItems: 20 })),
};

export const CreateUserSchema = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    email: Type.String({ minLength: 3, maxLength: 320 }),
    password: Type.Optional(Type.String({ minLength: 1, maxLength: 1024 })),
    divisionId: Type.String({ minLength: 1, maxLength: 200, description: "The organization's home division (tokend has no other)" }),
    state: Type.Optional(Type.String({ enum: ['active', 'inactive'] })),
    ...keptFields,
  },
  { additionalProperties: false, title: 'CreateUser' },
);
export type CreateUser = Static<typeof CreateUserSchema>;

/** Fields of the SDK's UpdateUser of domains tokend does not run: accepted and not kept (docs/api.md, "Users"). */
const unkeptUpdateFields = {
  id: Type.Optional(Text(200)),
  selfUri: Type.Optional(Text(2000)),
  username: Type.Optional(Text(320)),
  chat: Type.Optional(Anything),
  primaryContactInfo: Type.Optional(Type.Array(Anything, { maxItems: 20 })),
  manager: Type.Optional(Text(200)),
  images: Type.Optional(Type.Array(Anything, { maxItems: 10 })),
  profileSkills: Type.Optional(Type.Array(Text(200), { maxItems: 100 })),
  locations: Type.Optional(Type.Array(Anything, { maxItems: 20 })),
  groups: Type.Optional(Type.Array(Anything, { maxItems: 100 })),
  acdAutoAnswer: Type.Optional(Type.Boolean()),
  certifications: Type.Optional(Type.Array(Text(200), { maxItems: 100 })),
  biography: Type.Optional(Anything),
  employerInfo: Type.Optional(Anything),
};

export const UpdateUserSchema = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    email: Type.Optional(Type.String({ minLength: 3, maxLength: 320 })),
    state: Type.Optional(
      Type.String({ enum: [...USER_STATES], description: 'active, inactive (ends access) or deleted (as DELETE); a deleted person is restored with active' }),
    ),
    version: Type.Integer({ minimum: 1, description: 'The version read: a stale one is 409 general.conflict' }),
    ...keptFields,
    ...unkeptUpdateFields,
  },
  { additionalProperties: false, title: 'UpdateUser' },
);
export type UpdateUser = Static<typeof UpdateUserSchema>;

export const RoleIdListSchema = Type.Array(Type.String({ minLength: 1, maxLength: 200 }), { maxItems: 100, title: 'RoleIdList' });

export const ChangePasswordRequestSchema = Type.Object(
  { newPassword: Type.String({ maxLength: 1024 }) },
  { additionalProperties: false, title: 'ChangePasswordRequest' },
);
export const ChangeMyPasswordRequestSchema = Type.Object(
  { newPassword: Type.String({ maxLength: 1024 }), oldPassword: Type.String({ maxLength: 1024 }) },
  { additionalProperties: false, title: 'ChangeMyPasswordRequest' },
);

export const UserSearchRequestSchema = Type.Object(
  {
    ...searchRequestFields('UserSearchCriteria'),
    expand: Type.Optional(Type.Array(Text(50), { maxItems: 30 })),
    integrationPresenceSource: Type.Optional(Type.String({ enum: ['MicrosoftTeams', 'ZoomPhone', 'EightByEight'] })),
    enforcePermissions: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false, title: 'UserSearchRequest' },
);
export type UserSearchRequest = Omit<Static<typeof UserSearchRequestSchema>, 'query'> & { query?: SearchCriterion[] };

export const UsersSearchResponseSchema = Type.Object(
  {
    total: Type.Integer(),
    pageCount: Type.Integer(),
    pageSize: Type.Integer(),
    pageNumber: Type.Integer(),
    previousPage: Type.Optional(Type.String()),
    currentPage: Type.Optional(Type.String()),
    nextPage: Type.Optional(Type.String()),
    types: Type.Array(Type.String()),
    results: Type.Array(UserSchema),
  },
  { title: 'UsersSearchResponse' },
);

export const UserIdParamsSchema = Type.Object({ userId: Type.String({ minLength: 1, maxLength: 200 }) });
export const SubjectIdParamsSchema = Type.Object({ subjectId: Type.String({ minLength: 1, maxLength: 200 }) });
