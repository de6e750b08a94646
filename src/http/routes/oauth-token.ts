/** `POST /oauth/token` (CONTRACT.md): form in, token JSON out, never cached. */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { OAuthError } from '../../core/errors.js';
import { OAuthErrorSchema, OAuthTokenResponseSchema } from '../schemas.js';
import type { RouteDeps } from './deps.js';

const FORM = 'application/x-www-form-urlencoded';

/**
 * A body sent without a Content-Type is read as a form, as Genesys reads it (RFC 6749 §3.2 asks
 * for a form, and a bare `curl -X POST` sends none). Set before the body is parsed; a body of
 * any other declared type keeps its answer.
 */
async function bodyWithoutTypeIsForm(request: FastifyRequest): Promise<void> {
  if (request.headers['content-type'] === undefined) request.raw.headers['content-type'] = FORM;
}

/** A body of another type (JSON, say) is refused before it is validated, whether it is empty or not. */
async function requireForm(request: FastifyRequest): Promise<void> {
  if (!/^application\/x-www-form-urlencoded\b/i.test(request.headers['content-type'] ?? '')) {
    throw new OAuthError(415, 'invalid_request', `the request body must be ${FORM}`);
  }
}

export function oauthTokenRoutes(app: FastifyInstance, { services }: RouteDeps): void {
  app.post<{ Body: Record<string, string> }>(
    '/oauth/token',
    {
      schema: {
        operationId: 'postOauthToken',
        summary: 'Issue tokens (client credentials, password, authorization code, refresh)',
        tags: ['OAuth'],
        consumes: [FORM],
        body: Type.Optional(Type.Record(Type.String(), Type.String())),
        response: { 200: OAuthTokenResponseSchema, 400: OAuthErrorSchema, 401: OAuthErrorSchema, 429: OAuthErrorSchema, 503: OAuthErrorSchema },
      },
      onRequest: bodyWithoutTypeIsForm,
      preValidation: requireForm,
    },
    async (request, reply) => {
      // An empty form is `{}`: the endpoint then names what is missing (grant_type) in OAuth terms.
      const issued = await services.tokenEndpoint.exchange({ form: request.body ?? {}, authorization: request.headers.authorization, address: request.ip });
      request.authenticatedClientId = issued.clientId;
      reply.headers({ 'cache-control': 'no-store', pragma: 'no-cache' });
      return {
        access_token: issued.accessToken,
        token_type: 'bearer' as const,
        expires_in: issued.expiresIn,
        ...(issued.refreshToken ? { refresh_token: issued.refreshToken } : {}),
      };
    },
  );
}
