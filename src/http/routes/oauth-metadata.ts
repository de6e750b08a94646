/**
 * `GET /.well-known/oauth-authorization-server` (RFC 8414; CONTRACT.md, "Standard OAuth
 * endpoints"): what a library or gateway needs to find tokend's endpoints. Built once at start
 * from the configured public URL (`TOKEND_PUBLIC_URL`), never from a request's `Host`, which
 * any caller chooses: a forged issuer would send a client's credentials elsewhere.
 */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { KNOWN_SCOPES } from '../../core/known-scopes.js';

/** The metadata changes only with the configuration: a day of caching is safe (RFC 8414 §3.2 leaves it to HTTP). */
const CACHE_CONTROL = 'public, max-age=86400';

/** What tokend serves, as RFC 8414 §2 names it (CONTRACT.md, "POST /oauth/token" and "GET /oauth/authorize"). */
export function authorizationServerMetadata(publicUrl: string) {
  return {
    issuer: publicUrl,
    authorization_endpoint: `${publicUrl}/oauth/authorize`,
    token_endpoint: `${publicUrl}/oauth/token`,
    introspection_endpoint: `${publicUrl}/oauth/introspect`,
    revocation_endpoint: `${publicUrl}/oauth/revoke`,
    scopes_supported: KNOWN_SCOPES.map((scope) => scope.id),
    response_types_supported: ['code', 'token'],
    response_modes_supported: ['query', 'fragment'],
    grant_types_supported: [
      'authorization_code',
      'implicit',
      'refresh_token',
      'password',
      'client_credentials',
      'urn:ietf:params:oauth:grant-type:saml2-bearer',
    ],
    // HTTP Basic for a client with a secret; `none` for a public client, which names itself
    // with client_id (PKCE at the token endpoint, its own tokens at the revocation endpoint).
    token_endpoint_auth_methods_supported: ['client_secret_basic', 'none'],
    // Only a client with a secret may introspect (CONTRACT.md).
    introspection_endpoint_auth_methods_supported: ['client_secret_basic'],
    revocation_endpoint_auth_methods_supported: ['client_secret_basic', 'none'],
    // S256 only: `plain` would send the verifier itself through the browser.
    code_challenge_methods_supported: ['S256'],
  };
}

const Strings = Type.Array(Type.String());
const MetadataSchema = Type.Object(
  {
    issuer: Type.String({ description: 'TOKEND_PUBLIC_URL' }),
    authorization_endpoint: Type.String(),
    token_endpoint: Type.String(),
    introspection_endpoint: Type.String(),
    revocation_endpoint: Type.String(),
    scopes_supported: Strings,
    response_types_supported: Strings,
    response_modes_supported: Strings,
    grant_types_supported: Strings,
    token_endpoint_auth_methods_supported: Strings,
    introspection_endpoint_auth_methods_supported: Strings,
    revocation_endpoint_auth_methods_supported: Strings,
    code_challenge_methods_supported: Strings,
  },
  { title: 'AuthorizationServerMetadata' },
);

export function oauthMetadataRoutes(app: FastifyInstance, publicUrl: string): void {
  const body = JSON.stringify(authorizationServerMetadata(publicUrl));
  app.get(
    '/.well-known/oauth-authorization-server',
    {
      schema: {
        operationId: 'getOauthAuthorizationServerMetadata',
        summary: 'OAuth 2.0 authorization server metadata (RFC 8414)',
        tags: ['OAuth'],
        response: { 200: MetadataSchema },
      },
    },
    // Serialized once at start; a string payload is sent as it is.
    async (_request, reply) => reply.header('cache-control', CACHE_CONTROL).type('application/json; charset=utf-8').send(body),
  );
}
