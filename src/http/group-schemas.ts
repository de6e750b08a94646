/**
 * The groups API's wire models as the official SDK defines them (`Group`, `GroupCreate`,
 * `GroupUpdate`, `GroupEntityListing`, `GroupMembersUpdate`, `GroupSearchRequest`,
 * `GroupsSearchResponse`, and `User`/`UserEntityListing` for the members). Request schemas are
 * the first check of a body (types, enums, bounds: 400 naming the field); the admin core
 * (core/admin/groups.ts) is the second. Every list is bounded, so one request's work is small.
 */
import { type Static, Type } from '@sinclair/typebox';
import { NAME_LENGTH } from '../core/admin/directory-rules.js';
import type { GroupSearchCriterion } from '../core/admin/group-search.js';
import { GROUP_STATES, GROUP_TYPES, GROUP_VISIBILITIES } from '../core/models.js';
import { entityListingSchema } from './directory-schemas.js';
import { searchRequestFields } from './search-request.js';

/** Genesys's limit on the members of one POST or DELETE (GroupMembersUpdate, deleteGroupMembers `ids`). */
export const MEMBERS_PER_REQUEST = 50;
const MAX_OWNERS = 100;
const Id = Type.String({ minLength: 1, maxLength: 200 });
const Text = (maxLength: number) => Type.String({ maxLength });
const DateTime = Type.String({ format: 'date-time' });

const ImageSchema = Type.Object(
  { resolution: Type.Optional(Text(100)), imageUri: Type.Optional(Text(2000)) },
  { additionalProperties: false, title: 'UserImage' },
);
const GroupContactSchema = Type.Object(
  {
    address: Type.Optional(Text(200)),
    extension: Type.Optional(Text(200)),
    display: Type.Optional(Text(200)),
    type: Type.String({ enum: ['GROUPRING', 'GROUPPHONE'] }),
    mediaType: Type.String({ enum: ['PHONE'] }),
  },
  { additionalProperties: false, title: 'GroupContact' },
);

/** The fields GroupCreate and GroupUpdate share; the read-only ones (id, version, ...) are accepted and ignored. */
const writable = {
  name: Type.String({ minLength: NAME_LENGTH.min, maxLength: NAME_LENGTH.max }),
  description: Type.Optional(Text(2000)),
  state: Type.Optional(Type.String({ enum: [...GROUP_STATES], description: 'active or inactive (DELETE removes a group)' })),
  images: Type.Optional(Type.Array(ImageSchema, { maxItems: 10 })),
  addresses: Type.Optional(Type.Array(GroupContactSchema, { maxItems: 20 })),
  rulesVisible: Type.Boolean(),
  visibility: Type.String({ enum: [...GROUP_VISIBILITIES], description: 'Who may read the group: everyone, its members and owners, or its owners' }),
  rolesEnabled: Type.Optional(Type.Boolean()),
  includeOwners: Type.Optional(Type.Boolean()),
  callsEnabled: Type.Optional(Type.Boolean()),
  email: Type.Optional(Text(320)),
  ownerIds: Type.Optional(Type.Array(Id, { maxItems: MAX_OWNERS, description: 'Users of the organization: they see the group and manage its members' })),
  id: Type.Optional(Text(200)),
  selfUri: Type.Optional(Text(2000)),
};

export const GroupCreateSchema = Type.Object(
  {
    ...writable,
    type: Type.String({ enum: [...GROUP_TYPES] }),
    dateModified: Type.Optional(Text(100)),
    memberCount: Type.Optional(Type.Integer()),
    version: Type.Optional(Type.Integer()),
  },
  { additionalProperties: false, title: 'GroupCreate' },
);
export type GroupCreate = Static<typeof GroupCreateSchema>;

export const GroupUpdateSchema = Type.Object(
  {
    ...writable,
    name: Type.Optional(writable.name),
    rulesVisible: Type.Optional(writable.rulesVisible),
    visibility: Type.Optional(writable.visibility),
    version: Type.Integer({ minimum: 1, description: 'The version read: a stale one is 409 general.conflict' }),
  },
  { additionalProperties: false, title: 'GroupUpdate' },
);
export type GroupUpdate = Static<typeof GroupUpdateSchema>;

export const GroupMembersUpdateSchema = Type.Object(
  {
    memberIds: Type.Array(Id, { minItems: 1, maxItems: MEMBERS_PER_REQUEST }),
    version: Type.Optional(Type.Integer({ minimum: 1, description: "The group's version: a stale one is 409 general.conflict" })),
  },
  { additionalProperties: false, title: 'GroupMembersUpdate' },
);
export type GroupMembersUpdate = Static<typeof GroupMembersUpdateSchema>;

const UserRef = Type.Object({ id: Type.String(), selfUri: Type.String() }, { title: 'User' });

export const GroupSchema = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    description: Type.Optional(Type.String()),
    dateModified: Type.Optional(DateTime),
    memberCount: Type.Integer(),
    state: Type.String({ enum: [...GROUP_STATES] }),
    version: Type.Integer(),
    type: Type.String({ enum: [...GROUP_TYPES] }),
    images: Type.Optional(Type.Array(ImageSchema)),
    addresses: Type.Optional(Type.Array(GroupContactSchema)),
    rulesVisible: Type.Boolean(),
    visibility: Type.String({ enum: [...GROUP_VISIBILITIES] }),
    rolesEnabled: Type.Boolean(),
    includeOwners: Type.Boolean(),
    callsEnabled: Type.Boolean(),
    email: Type.Optional(Type.String()),
    owners: Type.Array(UserRef),
    selfUri: Type.String(),
  },
  { title: 'Group' },
);

export const GroupEntityListingSchema = entityListingSchema(GroupSchema, 'GroupEntityListing');

/** A group's members are Users (user-schemas.ts). */
export { UserEntityListingSchema, UserSchema } from './user-schemas.js';

export const GroupSearchRequestSchema = Type.Object(searchRequestFields('GroupSearchCriteria'), { additionalProperties: false, title: 'GroupSearchRequest' });
/** The schema checks the nested criteria; their type is core's. */
export type GroupSearchRequest = Omit<Static<typeof GroupSearchRequestSchema>, 'query'> & { query?: GroupSearchCriterion[] };

export const GroupsSearchResponseSchema = Type.Object(
  {
    total: Type.Integer(),
    pageCount: Type.Integer(),
    pageSize: Type.Integer(),
    pageNumber: Type.Integer(),
    previousPage: Type.Optional(Type.String()),
    currentPage: Type.Optional(Type.String()),
    nextPage: Type.Optional(Type.String()),
    types: Type.Array(Type.String()),
    results: Type.Array(GroupSchema),
  },
  { title: 'GroupsSearchResponse' },
);

export const GroupIdParamsSchema = Type.Object({ groupId: Type.String({ minLength: 1, maxLength: 200 }) });
