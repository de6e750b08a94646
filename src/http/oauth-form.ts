/** The form body every `/oauth/*` POST takes (RFC 6749 §3.2, RFC 7662 §2.1, RFC 7009 §2.1). */
import type { FastifyRequest } from 'fastify';
import { OAuthError } from '../core/errors.js';

export const FORM = 'application/x-www-form-urlencoded';

/**
 * A body sent without a Content-Type is read as a form, as Genesys reads it (RFC 6749 §3.2 asks
 * for a form, and a bare `curl -X POST` sends none). Set before the body is parsed; a body of
 * any other declared type keeps its answer.
 */
export async function bodyWithoutTypeIsForm(request: FastifyRequest): Promise<void> {
  if (request.headers['content-type'] === undefined) request.raw.headers['content-type'] = FORM;
}

/** A body of another type (JSON, say) is refused before it is validated, whether it is empty or not. */
export async function requireForm(request: FastifyRequest): Promise<void> {
  if (!/^application\/x-www-form-urlencoded\b/i.test(request.headers['content-type'] ?? '')) {
    throw new OAuthError(415, 'invalid_request', `the request body must be ${FORM}`);
  }
}

/** The OAuth answers are about credentials: never stored by a cache (RFC 6749 §5.1, RFC 7662 §2.2). */
export const NO_STORE = { 'cache-control': 'no-store', pragma: 'no-cache' };
