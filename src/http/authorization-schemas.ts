/**
 * Response schemas of the AuthorizationApi products and permissions, named and shaped as the
 * official SDK's models (`OrganizationProductEntityListing`, `PermissionCollectionEntityListing`,
 * `DomainPermissionCollection`, `DomainPermission`). They drive serialization (a field not
 * listed here is never sent) and the OpenAPI document.
 */
import { Type } from '@sinclair/typebox';
import { entityListingSchema } from './directory-schemas.js';

export const OrganizationProductEntityListingSchema = Type.Object(
  {
    entities: Type.Array(Type.Object({ id: Type.String() }, { title: 'DomainOrganizationProduct' })),
    pageSize: Type.Integer({ description: 'The total: every product is in the one page' }),
    pageNumber: Type.Integer(),
    total: Type.Integer(),
    pageCount: Type.Integer(),
  },
  { title: 'OrganizationProductEntityListing' },
);

const DomainPermissionSchema = Type.Object(
  {
    domain: Type.String(),
    entityType: Type.String(),
    action: Type.String(),
    label: Type.String(),
    allowsConditions: Type.Boolean(),
    divisionAware: Type.Boolean(),
  },
  { title: 'DomainPermission' },
);

const DomainPermissionCollectionSchema = Type.Object(
  {
    id: Type.String({ description: 'The domain' }),
    domain: Type.String(),
    permissionMap: Type.Record(Type.String(), Type.Array(DomainPermissionSchema), { description: 'By entity type' }),
  },
  { title: 'DomainPermissionCollection' },
);

export const PermissionCollectionEntityListingSchema = entityListingSchema(DomainPermissionCollectionSchema, 'PermissionCollectionEntityListing');
