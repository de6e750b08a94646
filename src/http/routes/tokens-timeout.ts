/** getTokensTimeout and putTokensTimeout: the organization's idle token timeout. */
import type { FastifyInstance } from 'fastify';
import { ApiError } from '../../core/errors.js';
import { type IdleTokenTimeoutInput, IdleTokenTimeoutSchema } from '../../core/schemas.js';
import { requireScope } from '../../core/scopes.js';
import { principalOf } from '../bearer.js';
import { apiErrorResponses, BearerSecurity, IdleTokenTimeoutResponseSchema } from '../schemas.js';
import type { RouteDeps } from './deps.js';

export const UPDATE_TIMEOUT_PERMISSION = 'directory:organization:admin';
const tags = ['Tokens'];

export function tokensTimeoutRoutes(app: FastifyInstance, { services, authenticate }: RouteDeps): void {
  const { authenticator, permissions, idleTimeouts } = services;

  app.get(
    '/api/v2/tokens/timeout',
    {
      schema: {
        operationId: 'getTokensTimeout',
        summary: 'Get the current Idle Token Timeout Value',
        tags,
        security: BearerSecurity,
        response: { 200: IdleTokenTimeoutResponseSchema, ...apiErrorResponses() },
      },
      onRequest: authenticate,
    },
    async (request) => {
      const principal = principalOf(request);
      authenticator.touch(principal);
      return principal.organization.idleTokenTimeout;
    },
  );

  app.put<{ Body: IdleTokenTimeoutInput | undefined }>(
    '/api/v2/tokens/timeout',
    {
      schema: {
        operationId: 'putTokensTimeout',
        summary: 'Update or Enable/Disable the Idle Token Timeout',
        tags,
        security: BearerSecurity,
        body: IdleTokenTimeoutSchema,
        response: { 200: IdleTokenTimeoutResponseSchema, ...apiErrorResponses(403, 413, 415) },
      },
      onRequest: authenticate,
      // Authorize before the body is validated: a caller without the right learns nothing about it.
      preValidation: async (request) => {
        const principal = principalOf(request);
        requireScope(principal, 'authorization', request.method);
        await permissions.requireAny(principal, [UPDATE_TIMEOUT_PERMISSION]);
      },
    },
    async (request) => {
      const principal = principalOf(request);
      authenticator.touch(principal);
      if (request.body === undefined) {
        if (request.headers['content-type'] === undefined && Number(request.headers['content-length'] ?? 0) > 0) {
          throw new ApiError(415, 'unsupported.media.type', 'The request body must be application/json.');
        }
        throw new ApiError(400, 'bad.request', 'The request body is required: an IdleTokenTimeout object.');
      }
      return idleTimeouts.update(principal.organization, request.body);
    },
  );
}
