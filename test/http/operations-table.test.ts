/**
 * The table of operations (src/core/operations/table.ts) against the routes: every operation is
 * served where the table says, under its SDK operationId; each refuses a user token without one
 * of its scopes and a token without its permission, exactly; and only an admitted, answered
 * request restarts the token's idle clock (CONTRACT.md, "IdleTokenTimeout").
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import type { Operation } from '../../src/core/operations/operation.js';
import { permissionsNamed } from '../../src/core/operations/operation.js';
import { ALL_OPERATIONS, OPERATIONS } from '../../src/core/operations/table.js';
import { ALWAYS_GRANTED_SCOPE } from '../../src/core/scopes.js';
import { assertErrorBody, errorBodies } from '../helpers/api-error.js';
import { bearer, type TestApp } from '../helpers/app.js';
import { INITECH, people, services, startReadApi } from '../helpers/readapi-fixture.js';

const IDLE_SECONDS = 300;
let t: TestApp;
before(async () => {
  ({ t } = await startReadApi());
  const initech = await t.app.tokend.directory.organization(INITECH);
  if (!initech) throw new Error('no Initech');
  await t.app.tokend.idleTimeouts.update(initech, { enableIdleTokenTimeout: true, idleTokenTimeoutSeconds: IDLE_SECONDS });
});
after(() => t.close());

/** The operation's path with a fresh id for each parameter. */
const urlOf = (operation: Operation) => operation.path.replace(/:[A-Za-z]+/g, () => randomUUID());

function send(operation: Operation, token: string) {
  const body = ['POST', 'PUT', 'PATCH'].includes(operation.method);
  return t.inject({
    method: operation.method,
    url: urlOf(operation),
    headers: { ...bearer(token), ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { payload: '{}' } : {}),
  });
}

/** When the token idles out, read without moving it. */
async function idlesAt(token: string): Promise<string> {
  const response = await t.inject({ method: 'GET', url: '/api/v2/tokens/me?preserveIdleTTL=true', headers: bearer(token) });
  assert.equal(response.statusCode, 200, response.body);
  return response.json().dateTokenIdles;
}

test('the table: each entry named by its SDK operationId; :readonly scopes only on reads; every permission three parts', () => {
  for (const [key, operation] of Object.entries(OPERATIONS)) {
    assert.equal(operation.id, key);
    const reads = operation.method === 'GET' || operation.method === 'HEAD';
    for (const scope of operation.scopes) assert.ok(reads || !scope.endsWith(':readonly'), `${operation.id}: ${scope} on a ${operation.method}`);
    for (const permission of permissionsNamed(operation.permissions)) assert.equal(permission.split(':').length, 3, `${operation.id}: ${permission}`);
  }
  const routes = ALL_OPERATIONS.map((operation) => `${operation.method} ${operation.path}`);
  assert.equal(new Set(routes).size, routes.length, 'one operation per method and path');
});

test('every operation of the table is served under its operationId, and every /api/v2 operation served is in the table', async () => {
  const response = await t.inject({ method: 'GET', url: '/api/v2/docs/openapi.json' });
  assert.equal(response.statusCode, 200);
  const served = new Map<string, string>();
  for (const [path, item] of Object.entries(response.json().paths as Record<string, Record<string, { operationId?: string }>>)) {
    for (const [method, op] of Object.entries(item)) if (path.startsWith('/api/v2/')) served.set(`${method.toUpperCase()} ${path}`, op.operationId ?? '');
  }
  const inTable = new Map(ALL_OPERATIONS.map((op) => [`${op.method} ${op.path.replace(/:([A-Za-z]+)/g, '{$1}')}`, op.id]));
  assert.deepEqual(new Map([...served].sort()), new Map([...inTable].sort()));
});

test('a user token without one of the scopes: 403 app.not.authorized.for.scope naming the first; its idle clock stays', async () => {
  const token = await t.token(services.basicApp, people.ned);
  const scoped = ALL_OPERATIONS.filter((operation) => !operation.scopes.includes(ALWAYS_GRANTED_SCOPE));
  assert.ok(scoped.length >= 10, 'most operations need a scope');
  const idles = await idlesAt(token);
  t.clock.advance(10_000);
  for (const operation of scoped) {
    assertErrorBody(await send(operation, token), errorBodies.scopeNotAuthorized(operation.scopes[0] ?? ''), operation.id);
  }
  assert.equal(await idlesAt(token), idles, 'no refusal moved the idle clock');
});

test('a token whose roles lack the permission: 403 missing.any.permissions (missing.permissions for ALL) naming them; its idle clock stays', async () => {
  const token = await t.token(services.bare);
  const guarded = ALL_OPERATIONS.filter((operation) => operation.permissions !== null);
  assert.ok(guarded.length >= 9);
  const idles = await idlesAt(token);
  t.clock.advance(10_000);
  for (const operation of guarded) {
    const named = permissionsNamed(operation.permissions);
    // "Requires ALL permissions" names every one missing, as Genesys's missing.permissions does.
    const expected =
      operation.permissions !== null && 'all' in operation.permissions
        ? {
            status: 403,
            code: 'missing.permissions',
            message: `Unable to perform the requested action. You are missing the following permission(s): ${named.join(', ')}`,
            messageWithParams: 'Unable to perform the requested action. You are missing the following permission(s): {permissions}',
            messageParams: { permissions: named.join(', ') },
          }
        : errorBodies.missingAnyPermissions(...named);
    assertErrorBody(await send(operation, token), expected, operation.id);
  }
  assert.equal(await idlesAt(token), idles, 'no refusal moved the idle clock');
});

test('an operation about the signed-in person refuses a client-credentials token with 400, moving nothing', async () => {
  const token = await t.token(services.bare);
  const idles = await idlesAt(token);
  t.clock.advance(10_000);
  for (const operation of ALL_OPERATIONS.filter((op) => op.needsPerson)) {
    assertErrorBody(
      await send(operation, token),
      { status: 400, code: 'bad.request', message: 'This request requires a user context. Client credentials cannot be used for requests to this resource.' },
      operation.id,
    );
  }
  assert.equal(await idlesAt(token), idles);
});

test('bad input after admission moves nothing; an admitted, answered request restarts the clock; preserveIdleTTL=true does not', async () => {
  const token = await t.token(services.roles);
  const idles = await idlesAt(token);
  t.clock.advance(10_000);
  const bad = await t.inject({ method: 'GET', url: '/api/v2/authorization/roles?pageSize=0', headers: bearer(token) });
  assert.equal(bad.statusCode, 400);
  assert.equal(await idlesAt(token), idles, 'a 400 moved nothing');
  const good = await t.inject({ method: 'GET', url: '/api/v2/authorization/roles', headers: bearer(token) });
  assert.equal(good.statusCode, 200);
  const moved = new Date(t.clock.now() + IDLE_SECONDS * 1000).toISOString();
  assert.equal(await idlesAt(token), moved);
  t.clock.advance(10_000);
  const me = await t.inject({ method: 'GET', url: '/api/v2/tokens/me', headers: bearer(token) });
  assert.equal(me.json().dateTokenIdles, new Date(t.clock.now() + IDLE_SECONDS * 1000).toISOString(), 'getTokensMe shows the deadline it set');
});

test('a refused DELETE /api/v2/tokens/{userId} (no permission) no longer restarts the idle clock', async () => {
  const token = await t.token(services.roles);
  const idles = await idlesAt(token);
  t.clock.advance(10_000);
  const refused = await send(OPERATIONS.deleteToken, token);
  assert.equal(refused.statusCode, 403);
  assert.equal(await idlesAt(token), idles);
});
