/**
 * `POST /oauth/revoke` (RFC 7009; CONTRACT.md, "Standard OAuth endpoints"): parse the form,
 * authenticate the calling client as `/oauth/token` does (a public client by its `client_id`),
 * revoke the token if it is the caller's own, answer 200 with no body whatever the token was.
 */
import { PUBLIC_OR_NOBODY } from '../../core/client-caller.js';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { MAX_TOKEN_LENGTH } from '../bearer.js';
import { tokenAndCaller } from '../oauth-caller.js';
import { bodyWithoutTypeIsForm, FORM, NO_STORE, requireForm } from '../oauth-form.js';
import { OAuthErrorSchema } from '../schemas.js';
import type { RouteDeps } from './deps.js';

export function oauthRevokeRoutes(app: FastifyInstance, { services }: RouteDeps): void {
  app.post<{ Body: Record<string, string> }>(
    '/oauth/revoke',
    {
      schema: {
        operationId: 'postOauthRevoke',
        summary: "Revoke one of the calling client's access or refresh tokens, with its sign-in (RFC 7009)",
        description:
          "HTTP Basic client authentication, or client_id alone for a public client. An unknown token, or another client's, answers 200 and changes nothing; so does a client_id sent without a secret that names no public client.",
        tags: ['OAuth'],
        consumes: [FORM],
        body: Type.Optional(Type.Record(Type.String(), Type.String())),
        response: { 200: Type.Null(), 400: OAuthErrorSchema, 401: OAuthErrorSchema, 429: OAuthErrorSchema, 503: OAuthErrorSchema },
      },
      onRequest: bodyWithoutTypeIsForm,
      preValidation: requireForm,
    },
    async (request, reply) => {
      const { token, caller } = await tokenAndCaller(services, request, PUBLIC_OR_NOBODY);
      // A live token of the caller's ended: whoever sent it held that client's token, proof enough
      // to log its id. No caller (an id sent without a secret that names no public client): nothing to revoke.
      if (caller !== null && token.length <= MAX_TOKEN_LENGTH && (await services.revocation.revoke(caller, token))) request.authenticatedClientId = caller.id;
      return reply.code(200).headers(NO_STORE).send();
    },
  );
}
