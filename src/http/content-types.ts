/**
 * Body parsers. JSON: an empty body is no body (the Genesys SDKs send `Content-Type:
 * application/json` on GET and DELETE too). Forms (`/oauth/token`): a parameter given twice
 * is refused, as RFC 6749 §3.2 asks. Either holding a NUL is refused (nul-guard.ts).
 */
import type { FastifyInstance } from 'fastify';
import { ApiError, oauthErrors } from '../core/errors.js';
import { formHoldsNul, jsonHoldsNul, nulRefusal } from './nul-guard.js';

export function registerContentTypes(app: FastifyInstance): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    const text = body as string;
    if (text.trim() === '') return done(null, undefined);
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      return done(new ApiError(400, 'bad.request', 'The request body is not valid JSON.'), undefined);
    }
    if (jsonHoldsNul(text, value)) return done(nulRefusal(), undefined);
    done(null, value);
  });
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (request, body, done) => {
    if (request.url.startsWith('/api/')) return done(new ApiError(415, 'unsupported.media.type', 'The request body must be application/json.'), undefined);
    if (formHoldsNul(body as string)) return done(nulRefusal(), undefined);
    const form: Record<string, string> = {};
    for (const [name, value] of new URLSearchParams(body as string)) {
      if (Object.hasOwn(form, name)) return done(oauthErrors.invalidRequest(`parameter ${name} was given more than once`), undefined);
      form[name] = value;
    }
    done(null, form);
  });
}
