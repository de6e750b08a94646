/** getTokensTimeout and putTokensTimeout: the organization's idle token timeout. */
import { ApiError } from '../../core/errors.js';
import { OPERATIONS } from '../../core/operations/table.js';
import { type IdleTokenTimeoutInput, IdleTokenTimeoutSchema } from '../../core/schemas.js';
import type { DefineOperation } from '../api-operation.js';
import { principalOf } from '../bearer.js';
import { apiErrorResponses, IdleTokenTimeoutResponseSchema } from '../schemas.js';
import type { RouteServices } from './deps.js';

export function tokensTimeoutRoutes(operation: DefineOperation, { idleTimeouts }: Pick<RouteServices, 'idleTimeouts'>): void {
  operation(OPERATIONS.getTokensTimeout, {
    schema: { response: { 200: IdleTokenTimeoutResponseSchema, ...apiErrorResponses() } },
    act: (request) => principalOf(request).organization.idleTokenTimeout,
  });

  operation<{ Body: IdleTokenTimeoutInput | undefined }>(OPERATIONS.putTokensTimeout, {
    schema: { body: IdleTokenTimeoutSchema, response: { 200: IdleTokenTimeoutResponseSchema, ...apiErrorResponses(403, 413, 415) } },
    act: (request) => {
      if (request.body === undefined) {
        if (request.headers['content-type'] === undefined && Number(request.headers['content-length'] ?? 0) > 0) {
          throw new ApiError(415, 'unsupported.media.type', 'The request body must be application/json.');
        }
        throw new ApiError(400, 'bad.request', 'The request body is required: an IdleTokenTimeout object.');
      }
      return idleTimeouts.update(principalOf(request).organization, request.body);
    },
  });
}
