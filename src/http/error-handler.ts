/**
 * The one place errors become HTTP (STYLE.md, "Errors"): typed core errors keep their status
 * and code; Fastify's own errors (parsing, validation, limits) map to contract codes; anything
 * else is `internal.server.error` with no detail, and is logged.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ApiError, type ApiErrorCode, apiErrorWithParams, errors, OAuthError, oauthErrors, SlowHashBusyError, StoreUnavailableError } from '../core/errors.js';
import { ClientRuleViolation } from '../core/admin/client-rules.js';
import { pointerToPath } from '../core/json-path.js';
import { type AccessLog, recordWhenAnswered } from './access-log.js';
import { NO_CACHE } from './response-headers.js';

interface AjvError {
  keyword: string;
  instancePath: string;
  params: Record<string, unknown>;
  message?: string;
}

/** Maps any thrown value to an ApiError (ErrorBody) with the contract's code. */
export function toApiError(error: unknown, bodyLimit: number): ApiError {
  if (error instanceof ApiError) return error;
  if (error instanceof StoreUnavailableError) return errors.serviceUnavailable();
  if (error instanceof OAuthError) return fromOAuthError(error);
  if (error instanceof ClientRuleViolation) {
    return new ApiError(400, 'invalid.value', `${error.field}: ${error.message}`, { details: [{ errorCode: 'invalid.value', fieldName: error.field }] });
  }
  const e = error as FastifyError & { validation?: AjvError[]; validationContext?: string };
  if (e.validation) return fromValidation(e.validation, e.validationContext);
  switch (e.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return apiErrorWithParams(413, 'request.entity.too.large', 'The request entity is too large. Maximum bytes: {maxBytes}', { maxBytes: String(bodyLimit) });
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new ApiError(415, 'unsupported.media.type', 'The request body must be application/json.');
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_BAD_URL':
    case 'FST_ERR_ASYNC_CONSTRAINT':
      return new ApiError(400, 'bad.request', e.code === 'FST_ERR_BAD_URL' ? 'The request URL is malformed.' : 'The request body is not valid JSON.');
  }
  if (typeof e.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500)
    return new ApiError(e.statusCode, 'bad.request', 'The request is malformed.');
  return new ApiError(500, 'internal.server.error', 'The server encountered an unexpected error.');
}

/** The ErrorBody code of each status an OAuthError can carry; any other 4xx is `bad.request`. */
const API_CODE_OF_STATUS: Partial<Record<number, ApiErrorCode>> = {
  401: 'bad.credentials',
  404: 'not.found',
  413: 'request.entity.too.large',
  415: 'unsupported.media.type',
  429: 'too.many.requests.retry.after',
};

/**
 * An OAuth error raised where the answer is an ErrorBody: the form parser refusing a repeated
 * field runs for every route, unknown ones and wrong methods included (Fastify parses the body
 * before it calls the 404 handler). Its status and headers hold; only the shape changes.
 */
function fromOAuthError(error: OAuthError): ApiError {
  if (error.status === 503) return errors.serviceUnavailable();
  if (error.status < 400 || error.status >= 500) return new ApiError(500, 'internal.server.error', 'The server encountered an unexpected error.');
  return new ApiError(error.status, API_CODE_OF_STATUS[error.status] ?? 'bad.request', error.message, { headers: error.headers });
}

function fromValidation(validation: AjvError[], context: string | undefined): ApiError {
  const first = validation[0];
  if (!first) return new ApiError(400, 'bad.request', 'The request is malformed.');
  const parent = pointerToPath(first.instancePath);
  const join = (name: unknown) => (parent ? `${parent}.${String(name)}` : String(name));
  if (context === 'querystring' || context === 'params') {
    const field = first.keyword === 'required' ? String(first.params.missingProperty) : parent;
    return new ApiError(400, 'invalid.query.param.value', `Invalid value for parameter ${field}: ${first.message ?? 'not allowed'}.`, {
      details: [{ errorCode: 'invalid.query.param.value', fieldName: field }],
    });
  }
  if (first.keyword === 'additionalProperties') {
    const field = join(first.params.additionalProperty);
    return new ApiError(400, 'invalid.property', `Unrecognized property: ${field}`, { details: [{ errorCode: 'invalid.property', fieldName: field }] });
  }
  if (first.instancePath === '' && first.keyword === 'type') {
    return new ApiError(400, 'bad.request', 'The request body must be a JSON object.');
  }
  const field = first.keyword === 'required' ? join(first.params.missingProperty) : parent;
  const why = first.keyword === 'required' ? 'is required' : (first.message ?? 'is not valid');
  return new ApiError(400, 'invalid.value', `${field} ${why}`, { details: [{ errorCode: 'invalid.value', fieldName: field }] });
}

/** The Genesys ErrorBody of an ApiError. */
export function errorBody(error: ApiError, contextId: string) {
  const { messageWithParams, messageParams, details, entityId, entityName, limit } = error.options;
  return {
    message: error.message,
    code: error.code,
    status: error.status,
    contextId,
    details: details ?? [],
    errors: [],
    ...(messageWithParams ? { messageWithParams, messageParams } : {}),
    ...(entityId ? { entityId } : {}),
    ...(entityName ? { entityName } : {}),
    ...(limit ? { limit } : {}),
  };
}

/**
 * The OAuth error (RFC 6749 §5.2) of any error raised under /oauth/token, /introspect and
 * /revoke: its own mapping of the framework's errors, in the OAuth endpoints' words, then the
 * ErrorBody mapping's status for anything else (a store that cannot answer, a bug).
 */
function toOAuthError(error: unknown, bodyLimit: number): OAuthError {
  if (error instanceof OAuthError) return error;
  if (error instanceof SlowHashBusyError) return oauthErrors.busy(error.retryAfterSeconds);
  switch ((error as FastifyError).code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new OAuthError(413, 'invalid_request', `the request body is larger than ${bodyLimit} bytes`);
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new OAuthError(415, 'invalid_request', 'the request body must be application/x-www-form-urlencoded');
  }
  const api = toApiError(error, bodyLimit);
  if (api.status === 503) return new OAuthError(503, 'temporarily_unavailable', 'the service is currently unavailable', { 'Retry-After': '1' });
  if (api.status >= 500) return new OAuthError(500, 'server_error', 'the server encountered an unexpected error');
  return new OAuthError(api.status, 'invalid_request', api.message);
}

/**
 * The ErrorBody of any error, for the /api/v2 scope, the service's own JSON endpoints and
 * whatever matched no route (an unknown `/oauth/...` path included).
 */
export function sendErrorBody(error: unknown, request: FastifyRequest, reply: FastifyReply, bodyLimit: number): FastifyReply {
  const api = toApiError(error, bodyLimit);
  // A fault a test set is its answer, not a failure to log.
  if (api.status >= 500 && api.code !== 'fault.injected') request.log.error({ err: error }, 'request failed');
  if (api.options.headers) reply.headers(api.options.headers);
  return reply
    .code(api.status)
    .type('application/json')
    .send(JSON.stringify(errorBody(api, request.id)));
}

/** The OAuth error JSON (RFC 6749 §5.2) of any error, for the scope of the OAuth endpoints. */
export function sendOAuthError(error: unknown, request: FastifyRequest, reply: FastifyReply, bodyLimit: number): FastifyReply {
  // The token endpoint has a limit of its own (routes/oauth-token.ts): a 413 names the one that held.
  const oauth = toOAuthError(error, request.routeOptions?.bodyLimit ?? bodyLimit);
  if (oauth.status >= 500) request.log.error({ err: error }, 'token endpoint failed');
  return reply
    .code(oauth.status)
    .headers({ ...oauth.headers, 'cache-control': 'no-store', pragma: 'no-cache' })
    .type('application/json')
    .send(JSON.stringify({ error: oauth.error, description: oauth.message, error_description: oauth.message }));
}

/** The error handler of the OAuth endpoints' scope. */
export function oauthErrorHandler(bodyLimit: number) {
  return (error: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyReply => sendOAuthError(error, request, reply, bodyLimit);
}

/** The error handler of a scope whose errors are ErrorBody. */
export function errorBodyHandler(bodyLimit: number) {
  return (error: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyReply => sendErrorBody(error, request, reply, bodyLimit);
}

/**
 * Fastify's `frameworkErrors`: a URL it cannot decode (or a parameter over its length) is refused
 * before routing, where no hook runs, so the headers of every response are set here, and the
 * access line is written here. No route matched: the answer is an ErrorBody.
 */
export function frameworkErrorHandler(bodyLimit: number, accessLog: () => AccessLog | null) {
  return (error: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyReply => {
    recordWhenAnswered(accessLog(), request, reply.raw);
    reply.headers({ 'inin-correlation-id': request.id, 'genesys-correlation-id': request.id, ...NO_CACHE });
    return sendErrorBody(error, request, reply, bodyLimit);
  };
}

/**
 * The root's answers: an ErrorBody for an unknown route and for an error raised before a route
 * matched (the body of an unknown route is parsed before the 404 handler runs). Each scope of
 * routes sets its own error handler (scopes.ts).
 */
export function registerErrorHandling(app: FastifyInstance, bodyLimit: number): void {
  app.setErrorHandler(errorBodyHandler(bodyLimit));
  app.setNotFoundHandler((request, reply) => sendErrorBody(errors.notFound(), request, reply, bodyLimit));
}
