/** `POST /oauth/token` (CONTRACT.md): form in, token JSON out, never cached. */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { replayBody, takeExchange } from '../issuance-lane.js';
import { bodyWithoutTypeIsForm, FORM, NO_STORE, requireForm } from '../oauth-form.js';
import { OAuthErrorSchema, OAuthTokenResponseSchema } from '../schemas.js';
import type { RouteDeps } from './deps.js';

/**
 * The token endpoint's own body limit, above the server's when that is lower: a SAML2 bearer
 * assertion may be up to 256 KiB (CONTRACT.md), and base64 and form encoding make that about
 * 370 KiB of body; a larger assertion must still reach the grant, which names its 400.
 */
export const TOKEN_BODY_LIMIT = 1024 * 1024;

export function oauthTokenRoutes(app: FastifyInstance, { services, tokenFaults }: RouteDeps): void {
  app.post<{ Body: Record<string, string> }>(
    '/oauth/token',
    {
      bodyLimit: Math.max(app.initialConfig.bodyLimit ?? 0, TOKEN_BODY_LIMIT),
      schema: {
        operationId: 'postOauthToken',
        summary: 'Issue tokens (client credentials, password, authorization code, refresh, SAML2 bearer)',
        tags: ['OAuth'],
        consumes: [FORM],
        body: Type.Optional(Type.Record(Type.String(), Type.String())),
        response: { 200: OAuthTokenResponseSchema, 400: OAuthErrorSchema, 401: OAuthErrorSchema, 429: OAuthErrorSchema, 503: OAuthErrorSchema },
      },
      onRequest: bodyWithoutTypeIsForm,
      // A body the issuance lane read before it handed the request on (issuance-lane.ts).
      preParsing: (request, _reply, payload, done) => done(null, replayBody(request.raw, payload)),
      preValidation: requireForm,
    },
    async (request, reply) => {
      // An issuance the lane began is not begun again: its refusal is answered here.
      // An empty form is `{}`: the endpoint then names what is missing (grant_type) in OAuth terms.
      const issued = await (takeExchange(request.raw) ??
        services.tokenEndpoint.exchange({
          form: request.body ?? {},
          authorization: request.headers.authorization,
          address: request.ip,
          ...(tokenFaults ? { afterClientAuth: tokenFaults(request) } : {}),
        }));
      request.authenticatedClientId = issued.clientId;
      reply.headers(NO_STORE);
      return {
        access_token: issued.accessToken,
        token_type: 'bearer' as const,
        expires_in: issued.expiresIn,
        ...(issued.refreshToken ? { refresh_token: issued.refreshToken } : {}),
      };
    },
  );
}
