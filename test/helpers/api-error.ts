/** Asserts an /api/v2 error answer: status, ErrorBody code (and message), contextId = correlation id, no caching. */
import assert from 'node:assert/strict';
import type { LightMyRequestResponse } from 'fastify';

export function assertApiError(response: LightMyRequestResponse, status: number, code: string, message?: string): void {
  assert.equal(response.statusCode, status, response.body);
  const body = response.json();
  assert.equal(body.code, code);
  assert.equal(body.status, status);
  if (message !== undefined) assert.equal(body.message, message);
  assert.equal(body.contextId, response.headers['inin-correlation-id']);
  assert.equal(response.headers['cache-control'], 'no-cache, no-store, must-revalidate');
}
