/**
 * The error handler of the HTML routes (sign-in, sign-out, account): the same mapping as the API
 * (src/http/error-handler.ts decides status and wording), rendered as a page instead of JSON,
 * since a person reads it. Nothing unexpected is shown, and only that is logged.
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { OAuthError } from '../../core/errors.js';
import { toApiError } from '../error-handler.js';
import { messagePage } from './message-page.js';
import { sendPage } from './send-page.js';

export function pageErrorHandler(error: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const status = error instanceof OAuthError ? error.status : toApiError(error, 0).status;
  if (status >= 500) request.log.error({ err: error }, 'page failed');
  if (status === 503) reply.header('retry-after', '1');
  const message =
    status === 503
      ? 'The service is briefly unavailable. Please try again in a moment.'
      : status >= 500
        ? 'Something went wrong on our side. Please try again.'
        : status === 413
          ? 'The form was too large.'
          : 'The request was not understood.';
  return sendPage(reply, status, messagePage(status >= 500 ? 'Unavailable' : 'Bad request', message));
}
