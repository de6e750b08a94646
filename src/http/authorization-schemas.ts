/**
 * Response schemas of the AuthorizationApi operations of issue 24, named and shaped as the
 * official SDK's models (`OrganizationProductEntityListing`, `PermissionCollectionEntityListing`,
 * `DomainPermissionCollection`, `DomainPermission`). They drive serialization (a field not
 * listed here is never sent) and the OpenAPI document.
 */
import { Type } from '@sinclair/typebox';

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
