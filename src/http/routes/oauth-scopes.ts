/** getOauthScopes: the OAuth scopes tokend knows (known-scopes.ts). */
import { KNOWN_SCOPES } from '../../core/known-scopes.js';
import { OPERATIONS } from '../../core/operations/table.js';
import type { DefineOperation } from '../api-operation.js';
import { OAuthScopeListingSchema } from '../directory-schemas.js';
import { apiErrorResponses } from '../schemas.js';

const listing = { total: KNOWN_SCOPES.length, entities: KNOWN_SCOPES, selfUri: '/api/v2/oauth/scopes' };

export function oauthScopesRoutes(operation: DefineOperation): void {
  operation(OPERATIONS.getOauthScopes, {
    schema: { response: { 200: OAuthScopeListingSchema, ...apiErrorResponses(403) } },
    act: () => listing,
  });
}
