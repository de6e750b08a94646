/** A write's JSON body, which its schema cannot require (Fastify skips the body schema when no body came). */
import { ApiError } from '../core/errors.js';

/** The body, or 415 when one was sent without a content type, else 400 naming the model it should be. */
export function requireBody<T>(body: T | undefined, headers: Record<string, string | string[] | undefined>, model: string): T {
  if (body !== undefined) return body;
  if (headers['content-type'] === undefined && Number(headers['content-length'] ?? 0) > 0) {
    throw new ApiError(415, 'unsupported.media.type', 'The request body must be application/json.');
  }
  throw new ApiError(400, 'bad.request', `The request body is required: a ${model} object.`);
}
