/** getAuthorizationProducts: the products tokend is, a fixed list (core/products.ts), every one in one page. */
import { ORGANIZATION_PRODUCTS } from '../../core/products.js';
import { OPERATIONS } from '../../core/operations/table.js';
import { OrganizationProductEntityListingSchema } from '../authorization-schemas.js';
import type { DefineOperation } from '../api-operation.js';
import { wholeListing } from '../page-listing.js';
import { apiErrorResponses } from '../schemas.js';

const listing = wholeListing(ORGANIZATION_PRODUCTS.map((id) => ({ id })));

export function authorizationProductsRoutes(operation: DefineOperation): void {
  operation(OPERATIONS.getAuthorizationProducts, {
    description: 'The same fixed list for every organization (docs/api.md, "Products"); paging parameters are ignored.',
    schema: { response: { 200: OrganizationProductEntityListingSchema, ...apiErrorResponses(403) } },
    act: () => listing,
  });
}
