/** getOauthScopes and getOauthScope: the OAuth scopes tokend knows (known-scopes.ts). */
import { Type } from '@sinclair/typebox';
import { type KnownScope, KNOWN_SCOPES, knownScope } from '../../core/known-scopes.js';
import { errors } from '../../core/errors.js';
import { OPERATIONS } from '../../core/operations/table.js';
import type { DefineOperation } from '../api-operation.js';
import { OAuthScopeListingSchema, OAuthScopeSchema } from '../directory-schemas.js';
import { apiErrorResponses } from '../schemas.js';

const SCOPES_PATH = '/api/v2/oauth/scopes';
const renderScope = (scope: KnownScope) => ({ ...scope, selfUri: `${SCOPES_PATH}/${encodeURIComponent(scope.id)}` });
const listing = { total: KNOWN_SCOPES.length, entities: KNOWN_SCOPES.map(renderScope), selfUri: SCOPES_PATH };

export function oauthScopesRoutes(operation: DefineOperation): void {
  operation(OPERATIONS.getOauthScopes, {
    schema: { response: { 200: OAuthScopeListingSchema, ...apiErrorResponses(403) } },
    act: () => listing,
  });

  operation<{ Params: { scopeId: string } }>(OPERATIONS.getOauthScope, {
    description: 'A scope tokend does not know is 404.',
    schema: { params: Type.Object({ scopeId: Type.String() }), response: { 200: OAuthScopeSchema, ...apiErrorResponses(403, 404) } },
    act: (request) => {
      const scope = knownScope(request.params.scopeId);
      if (scope === null) throw errors.notFound(`no OAuth scope ${request.params.scopeId}`, request.params.scopeId);
      return renderScope(scope);
    },
  });
}
