/**
 * The error handler of the pages' scope (authorize, sign-in, sign-out, account): a refused
 * authorization request goes back to the client or onto a page; anything else takes the same
 * mapping as the API (src/http/error-handler.ts decides status and wording), rendered as a page
 * instead of JSON, since a person reads it. Nothing unexpected is shown, and only that is logged.
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { AuthorizeError } from '../../core/authorize/authorize-error.js';
import { errorRedirectUri } from '../../core/authorize/complete.js';
import { NOT_REGISTERED } from '../../core/authorize/request.js';
import { OAuthError } from '../../core/errors.js';
import { toApiError } from '../error-handler.js';
import { messagePage } from './message-page.js';
import { sendPage, sendRedirect } from './send-page.js';

const BROKEN_LINK = 'This sign-in link does not work';
/**
 * An unknown client and an unregistered redirect URI get this page, word for word (CONTRACT.md):
 * it links to no app and does not tell which of the two it was, so client ids cannot be probed.
 */
const UNKNOWN_APP =
  'This sign-in link names an app or a return address that tokend does not know, so it cannot sign you in there. Nothing was sent anywhere. Go back to the app and try again; if this happens again, tell its administrator.';
const INCOMPLETE = 'This sign-in link is incomplete or out of date. Go back to the app and try again.';

/** Back to the client with `error` when its redirect URI is good; on a page otherwise. */
function refuseAuthorization(reply: FastifyReply, error: AuthorizeError): FastifyReply {
  if (error.redirect) return sendRedirect(reply, 302, errorRedirectUri(error.redirect, error.error, error.message));
  const words = error.message === NOT_REGISTERED ? UNKNOWN_APP : INCOMPLETE;
  return sendPage(reply, 400, messagePage(BROKEN_LINK, words, { details: error.message }));
}

export function pageErrorHandler(error: FastifyError | AuthorizeError, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  if (error instanceof AuthorizeError) return refuseAuthorization(reply, error);
  const status = error instanceof OAuthError ? error.status : toApiError(error, 0).status;
  if (status >= 500) request.log.error({ err: error }, 'page failed');
  if (status === 503) reply.header('retry-after', '1');
  const message =
    status === 503
      ? 'The service is briefly unavailable. Please try again in a moment.'
      : status >= 500
        ? 'Something went wrong on our side. Please try again.'
        : status === 413
          ? 'The form was too large. Go back and try again with less.'
          : 'The request was not understood. Go back and try again.';
  return sendPage(reply, status, messagePage(status >= 500 ? 'Something went wrong' : 'That did not work', message));
}
