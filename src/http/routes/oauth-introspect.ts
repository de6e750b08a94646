/**
 * `POST /oauth/introspect` (RFC 7662; CONTRACT.md, "Standard OAuth endpoints"): parse the form,
 * authenticate the calling client as `/oauth/token` does, introspect from the token cache,
 * render. Any client of the token's organization that has a secret may ask.
 */
import { SECRET_REQUIRED } from '../../core/client-caller.js';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { introspect } from '../../core/introspection.js';
import { MAX_TOKEN_LENGTH } from '../bearer.js';
import { tokenAndCaller } from '../oauth-caller.js';
import { bodyWithoutTypeIsForm, FORM, NO_STORE, requireForm } from '../oauth-form.js';
import { OAuthErrorSchema } from '../schemas.js';
import type { RouteDeps } from './deps.js';

const IntrospectionSchema = Type.Object(
  {
    active: Type.Boolean(),
    client_id: Type.Optional(Type.String()),
    sub: Type.Optional(Type.String({ description: 'The user id; absent for client-credentials tokens' })),
    scope: Type.Optional(Type.String({ description: 'Space-separated scopes' })),
    exp: Type.Optional(Type.Integer({ description: 'Expiry, seconds since the epoch' })),
    iat: Type.Optional(Type.Integer({ description: 'Issue time, seconds since the epoch' })),
    token_type: Type.Optional(Type.Literal('Bearer')),
  },
  { title: 'TokenIntrospection', additionalProperties: false },
);

const INACTIVE = { active: false } as const;

export function oauthIntrospectRoutes(app: FastifyInstance, { services }: RouteDeps): void {
  app.post<{ Body: Record<string, string> }>(
    '/oauth/introspect',
    {
      schema: {
        operationId: 'postOauthIntrospect',
        summary: 'Introspect an access token (RFC 7662); for gateways and libraries that do not speak Genesys',
        description:
          'HTTP Basic client authentication. A token that is not valid, or of another organization, is {"active": false}. Moves no idle clock, counts against no rate limit.',
        tags: ['OAuth'],
        consumes: [FORM],
        body: Type.Optional(Type.Record(Type.String(), Type.String())),
        response: { 200: IntrospectionSchema, 400: OAuthErrorSchema, 401: OAuthErrorSchema, 429: OAuthErrorSchema, 503: OAuthErrorSchema },
      },
      onRequest: bodyWithoutTypeIsForm,
      preValidation: requireForm,
    },
    async (request, reply) => {
      const { token, caller } = await tokenAndCaller(services, request, SECRET_REQUIRED);
      reply.headers(NO_STORE);
      if (token.length > MAX_TOKEN_LENGTH) return INACTIVE;
      return introspect(services.authenticator, caller, token);
    },
  );
}
