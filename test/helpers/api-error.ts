/**
 * THE assertion of an /api/v2 error answer (CONTRACT.md, "Error body" and "Response headers"):
 * the status, the whole ErrorBody (message, code, status, contextId equal to the correlation id,
 * details, errors, and messageWithParams, messageParams, entityId, entityName, limit where the
 * error has them, nothing else), and the headers every /api/v2 answer carries.
 */
import assert from 'node:assert/strict';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export interface ExpectedErrorBody {
  status: number;
  code: string;
  message: string;
  messageWithParams?: string;
  messageParams?: Record<string, string>;
  details?: Array<{ errorCode?: string; fieldName?: string; entityId?: string; entityName?: string }>;
  entityId?: string;
  entityName?: string;
  limit?: { key: string; namespace: string; value: number };
}

/** What the assertion reads of a response: an `inject` answer, or one read off a socket. */
export interface ErrorResponse {
  statusCode?: number;
  headers: Record<string, string | string[] | number | undefined>;
  body: string;
}

/**
 * `what` names the case in a failure. `noCache`: whether the answer must forbid caching, as every
 * /api/v2 answer does (CONTRACT.md, "Response headers on /api/v2"); false for a path outside it.
 */
export function assertErrorBody(response: ErrorResponse, expected: ExpectedErrorBody, what = '', noCache = true): void {
  const context = `${what} ${response.body}`.trim();
  assert.equal(response.statusCode, expected.status, context);
  const id = response.headers['inin-correlation-id'];
  assert.match(String(id), UUID, `a correlation id: ${context}`);
  assert.equal(response.headers['genesys-correlation-id'], id, context);
  assert.match(String(response.headers['content-type']), /^application\/json/, context);
  if (noCache) {
    assert.equal(response.headers['cache-control'], 'no-cache, no-store, must-revalidate', context);
    assert.equal(response.headers.pragma, 'no-cache', context);
    assert.equal(response.headers.expires, '0', context);
  }
  const { details = [], ...rest } = expected;
  try {
    assert.deepEqual(JSON.parse(response.body), { ...rest, contextId: id, details, errors: [] });
  } catch (error) {
    // Named, with the diff kept (a message given to deepEqual would replace it).
    if (what !== '' && error instanceof assert.AssertionError) error.message = `${what}: ${error.message}`;
    throw error;
  }
}

/** The ErrorBodies the contract words in full (CONTRACT.md), for {@link assertErrorBody}. */
export const errorBodies = {
  authenticationRequired: { status: 401, code: 'authentication.required', message: 'No authentication bearer token specified in authorization header.' },
  badCredentials: { status: 401, code: 'bad.credentials', message: 'Invalid login credentials.' },
  notFound: { status: 404, code: 'not.found', message: 'The requested resource was not found.' },
  scopeNotAuthorized: (scope: string): ExpectedErrorBody => ({
    status: 403,
    code: 'app.not.authorized.for.scope',
    message: `App not authorized to use scope ${scope}`,
    messageWithParams: 'App not authorized to use scope {scope}',
    messageParams: { scope },
  }),
  missingAnyPermissions: (...permissions: string[]): ExpectedErrorBody => ({
    status: 403,
    code: 'missing.any.permissions',
    message: `Unable to perform the requested action. You must have at least one of the following permissions assigned: ${permissions.join(', ')}`,
    messageWithParams: 'Unable to perform the requested action. You must have at least one of the following permissions assigned: {permissions}',
    messageParams: { permissions: permissions.join(', ') },
  }),
} satisfies Record<string, ExpectedErrorBody | ((...args: string[]) => ExpectedErrorBody)>;
