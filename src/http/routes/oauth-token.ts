/** `POST /oauth/token` (CONTRACT.md): form in, token JSON out, never cached. */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { OAuthError, oauthErrors } from '../../core/errors.js';
import { OAuthErrorSchema, OAuthTokenResponseSchema } from '../schemas.js';
import type { RouteDeps } from './deps.js';

export function oauthTokenRoutes(app: FastifyInstance, { services }: RouteDeps): void {
  app.post<{ Body: Record<string, string> | undefined }>(
    '/oauth/token',
    {
      schema: {
        operationId: 'postOauthToken',
        summary: 'Issue tokens (client credentials, password, authorization code, refresh)',
        tags: ['OAuth'],
        consumes: ['application/x-www-form-urlencoded'],
        body: Type.Optional(Type.Record(Type.String(), Type.String())),
        response: { 200: OAuthTokenResponseSchema, 400: OAuthErrorSchema, 401: OAuthErrorSchema, 429: OAuthErrorSchema, 503: OAuthErrorSchema },
      },
    },
    async (request, reply) => {
      if (request.body === undefined || typeof request.body !== 'object') {
        throw oauthErrors.invalidRequest('the request body must be application/x-www-form-urlencoded');
      }
      if (!/^application\/x-www-form-urlencoded\b/i.test(request.headers['content-type'] ?? '')) {
        throw new OAuthError(415, 'invalid_request', 'the request body must be application/x-www-form-urlencoded');
      }
      const issued = await services.tokenEndpoint.exchange({ form: request.body, authorization: request.headers.authorization, address: request.ip });
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
