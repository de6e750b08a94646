/**
 * Typed errors with stable contract codes. Each error knows its HTTP status and its code;
 * `src/http/error-handler.ts` is the one place that turns them into a response body.
 *
 * Two families exist because the wire has two error shapes:
 * - {@link ApiError}: the Genesys `ErrorBody` of `/api/v2` (CONTRACT.md, "Error body").
 * - {@link OAuthError}: the RFC 6749 §5.2 JSON of `/oauth/token`.
 */

/**
 * Every `ErrorBody.code` tokend can send, as documented in CONTRACT.md (its table of codes, and
 * `general.conflict` of "The directory and authorization planes": a stale `version`).
 */
export const API_ERROR_CODES = [
  'bad.request',
  'invalid.query.param.value',
  'invalid.value',
  'constraint.validation',
  'invalid.property',
  'authentication.required',
  'bad.credentials',
  'missing.any.permissions',
  'missing.permissions',
  'app.not.authorized.for.scope',
  'not.found',
  'general.conflict',
  'request.entity.too.large',
  'unsupported.media.type',
  'too.many.requests.retry.after',
  'internal.server.error',
  'service.unavailable',
  // CONTRACT.md, "A clock and faults for tests": the answer of a fault a test set.
  'fault.injected',
] as const;
export type ApiErrorCode = (typeof API_ERROR_CODES)[number];

/** Every OAuth `error` value tokend can send (RFC 6749 §5.2, §4.1.2.1). */
export const OAUTH_ERROR_CODES = [
  'invalid_request',
  'invalid_client',
  'invalid_grant',
  'unauthorized_client',
  'unsupported_grant_type',
  'invalid_scope',
  'access_denied',
  'unsupported_response_type',
  // OpenID Connect Core §3.1.2.6: answers to prompt=none.
  'login_required',
  'consent_required',
  'server_error',
  'temporarily_unavailable',
] as const;
export type OAuthErrorCode = (typeof OAUTH_ERROR_CODES)[number];

export interface ErrorDetail {
  errorCode?: string;
  fieldName?: string;
  entityId?: string;
  entityName?: string;
}

/** The `Limit` model of the Genesys ErrorBody: which limit, in which namespace, and its value. */
export interface ErrorLimit {
  key: string;
  namespace: string;
  value: number;
}

export interface ApiErrorOptions {
  /** Template with `{name}` placeholders; `message` is it with `params` filled in. */
  messageWithParams?: string;
  messageParams?: Record<string, string>;
  details?: ErrorDetail[];
  entityId?: string;
  entityName?: string;
  /** The limit a 429 ran into (CONTRACT.md, "Rate limit body"). */
  limit?: ErrorLimit;
  /** Extra response headers (for example `Retry-After`, `WWW-Authenticate`). */
  headers?: Record<string, string>;
}

/**
 * Turns stack capture off for a refusal (4xx) and returns the limit to restore once the error is
 * built. A refusal is an answer, not a fault: nothing logs its stack, and capturing one walks
 * every frame and awaited promise under the request (a revoked token's 401 costs 12% less CPU
 * without it, docs/performance.md). A 5xx keeps its stack for the error log line.
 */
function stackless(status: number): number {
  const limit = Error.stackTraceLimit;
  if (status < 500) Error.stackTraceLimit = 0;
  return limit;
}

/** An error of the `/api/v2` surface, rendered as a Genesys `ErrorBody`. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: ApiErrorCode;
  readonly options: ApiErrorOptions;

  constructor(status: number, code: ApiErrorCode, message: string, options: ApiErrorOptions = {}) {
    const stackTraceLimit = stackless(status);
    super(message);
    Error.stackTraceLimit = stackTraceLimit;
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.options = options;
  }
}

/** Builds an ApiError whose message has parameters (`messageWithParams` + `messageParams`). */
export function apiErrorWithParams(
  status: number,
  code: ApiErrorCode,
  template: string,
  params: Record<string, string>,
  options: Omit<ApiErrorOptions, 'messageWithParams' | 'messageParams'> = {},
): ApiError {
  const message = template.replace(/\{(\w+)\}/g, (_, key: string) => params[key] ?? '');
  return new ApiError(status, code, message, { ...options, messageWithParams: template, messageParams: params });
}

const BEARER_REALM = 'Bearer realm="tokend"';

export const errors = {
  authenticationRequired: () =>
    new ApiError(401, 'authentication.required', 'No authentication bearer token specified in authorization header.', {
      headers: { 'WWW-Authenticate': BEARER_REALM },
    }),
  badCredentials: () =>
    new ApiError(401, 'bad.credentials', 'Invalid login credentials.', {
      headers: { 'WWW-Authenticate': `${BEARER_REALM}, error="invalid_token"` },
    }),
  missingAnyPermissions: (permissions: string[]) =>
    apiErrorWithParams(
      403,
      'missing.any.permissions',
      'Unable to perform the requested action. You must have at least one of the following permissions assigned: {permissions}',
      { permissions: permissions.join(', ') },
    ),
  /** An operation whose SDK reference says "Requires ALL permissions", or a role the caller cannot hand on. */
  missingPermissions: (permissions: readonly string[], options: Omit<ApiErrorOptions, 'messageWithParams' | 'messageParams'> = {}) =>
    apiErrorWithParams(
      403,
      'missing.permissions',
      'Unable to perform the requested action. You are missing the following permission(s): {permissions}',
      { permissions: permissions.join(', ') },
      options,
    ),
  /** Genesys' answer to a client-credentials token at an operation about the signed-in person. */
  userContextRequired: () =>
    new ApiError(400, 'bad.request', 'This request requires a user context. Client credentials cannot be used for requests to this resource.'),
  scopeNotAuthorized: (scope: string) => apiErrorWithParams(403, 'app.not.authorized.for.scope', 'App not authorized to use scope {scope}', { scope }),
  notFound: (message = 'The requested resource was not found.', entityId?: string) =>
    new ApiError(404, 'not.found', message, entityId === undefined ? {} : { entityId }),
  /** A token over its requests per minute (`allowedPerMinute`), as Genesys names that limit. */
  tooManyRequests: (retryAfterSeconds: number, allowedPerMinute: number) =>
    apiErrorWithParams(
      429,
      'too.many.requests.retry.after',
      'Rate limit exceeded the maximum. Retry the request in [{retryAfter}] seconds',
      { retryAfter: String(retryAfterSeconds) },
      {
        limit: { key: 'token.rate.per.minute', namespace: 'platform.api', value: allowedPerMinute },
        headers: { 'Retry-After': String(retryAfterSeconds) },
      },
    ),
  serviceUnavailable: () =>
    new ApiError(503, 'service.unavailable', 'The service is currently unavailable. Retry the request later.', {
      headers: { 'Retry-After': '1' },
    }),
};

/** An error of `/oauth/*`, rendered as `{error, description, error_description}`. */
export class OAuthError extends Error {
  readonly status: number;
  readonly error: OAuthErrorCode;
  readonly headers: Record<string, string>;

  constructor(status: number, error: OAuthErrorCode, description: string, headers: Record<string, string> = {}) {
    const stackTraceLimit = stackless(status);
    super(description);
    Error.stackTraceLimit = stackTraceLimit;
    this.name = 'OAuthError';
    this.status = status;
    this.error = error;
    this.headers = headers;
  }
}

export const oauthErrors = {
  invalidRequest: (description: string) => new OAuthError(400, 'invalid_request', description),
  /** The same answer for an unknown client and a wrong secret, so ids cannot be probed (CONTRACT.md, ours). */
  invalidClient: () => new OAuthError(401, 'invalid_client', 'authentication failed', { 'WWW-Authenticate': 'Basic realm="tokend"' }),
  invalidGrant: (description: string) => new OAuthError(400, 'invalid_grant', description),
  unauthorizedClient: (description: string) => new OAuthError(400, 'unauthorized_client', description),
  unsupportedGrantType: (grantType: string) => new OAuthError(400, 'unsupported_grant_type', `grant type ${JSON.stringify(grantType)} is not supported`),
  invalidScope: (description: string) => new OAuthError(400, 'invalid_scope', description),
  temporarilyUnavailable: () => new OAuthError(503, 'temporarily_unavailable', 'the service is currently unavailable'),
  /** Failed client authentication past its limit: the same for an unknown id as for a known one. */
  clientThrottled: (retryAfterSeconds: number) =>
    new OAuthError(429, 'invalid_client', `too many failed client authentications; retry in ${retryAfterSeconds} seconds`, {
      'Retry-After': String(retryAfterSeconds),
      'WWW-Authenticate': 'Basic realm="tokend"',
    }),
  busy: (retryAfterSeconds: number) =>
    new OAuthError(429, 'temporarily_unavailable', `too many sign-ins are being checked; retry in ${retryAfterSeconds} seconds`, {
      'Retry-After': String(retryAfterSeconds),
    }),
  /**
   * The client's issuance limit is used up (issuance-limit.ts). RFC 6749 has no code for a rate
   * limit; `temporarily_unavailable` is its "try again later", and the 429 and `Retry-After` say
   * when.
   */
  issuanceLimited: (perMinute: number, retryAfterSeconds: number) =>
    new OAuthError(429, 'temporarily_unavailable', `this client may be issued at most ${perMinute} tokens a minute; retry in ${retryAfterSeconds} seconds`, {
      'Retry-After': String(retryAfterSeconds),
    }),
};

/** Thrown by a store when its database cannot be reached; the HTTP layer answers 503 (fail closed). */
export class StoreUnavailableError extends Error {
  constructor(cause?: unknown) {
    super('the store cannot be reached', { cause });
    this.name = 'StoreUnavailableError';
  }
}

/**
 * The queue of slow hashes (throttle/slow-hash-queue.ts) is full: the attempt got no verdict and
 * counts as nothing; each surface answers 429 with `Retry-After`.
 */
export class SlowHashBusyError extends Error {
  readonly retryAfterSeconds = 1;

  constructor() {
    super('too many secrets are being checked; retry shortly');
    this.name = 'SlowHashBusyError';
  }
}

/**
 * A person's sign-in was refused (the sign-in page and the password grant). Not a wire error by
 * itself: each surface words it (a page, an `invalid_grant`). `retryAfterSeconds` is set when
 * the refusal is the throttle, which then refuses even a right password.
 */
export class SignInRefusedError extends Error {
  readonly retryAfterSeconds: number | null;

  constructor(retryAfterSeconds: number | null = null) {
    super(retryAfterSeconds === null ? 'invalid username or password' : `too many failed sign-ins; retry in ${retryAfterSeconds} seconds`);
    this.name = 'SignInRefusedError';
    this.retryAfterSeconds = retryAfterSeconds;
  }
}
