/**
 * The server's audit lines (core/audit.ts; issue 23 §1): every changing /api/v2 operation of
 * the table that a token called writes one line once answered, refusals included (no
 * permission, a bad body; a request without a valid token is nobody's and writes none), naming the caller's client and person, the operation, what it acted on and how it
 * ended; consent given and removed on the pages too. Never a secret; a read writes none; the
 * lines are written at any log level.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { AuditEntry } from '../../src/core/audit.js';
import { bearer, startTestApp, type TestApp } from '../helpers/app.js';
import { Browser, CODE_APP_AUTH, hiddenField, tokenRequest } from '../helpers/browser-flow.js';
import { ACME, clients, users } from '../helpers/fixture.js';
import { captureLog } from '../helpers/log-capture.js';

let t: TestApp;
const log = captureLog();
before(async () => {
  // At warn: access lines are off, audit lines are not.
  t = await startTestApp({ logger: { level: 'warn', stream: log.stream } });
});
after(() => t.close());

/** The audit entries written since the last call. */
function audited(): AuditEntry[] {
  const parsed = log.lines() as Array<{ msg: string; level: number; audit?: AuditEntry }>;
  log.clear();
  for (const line of parsed) assert.deepEqual([line.msg, line.level], ['audit', 30], JSON.stringify(line));
  return parsed.map((line) => line.audit as AuditEntry);
}

const asAdmin = () => ({ kind: 'token', clientId: clients.admin.id, userId: null, organizationId: ACME });
const json = (token: string) => ({ ...bearer(token), 'content-type': 'application/json' });

test('a change, a refusal for want of permission, a bad body: one line each; a read and a request without a token none', async () => {
  const admin = await t.token(clients.admin);
  audited();
  const read = await t.inject({ method: 'GET', url: '/api/v2/tokens/timeout', headers: bearer(admin) });
  assert.equal(read.statusCode, 200);
  assert.deepEqual(audited(), [], 'a read writes nothing');

  const changed = await t.inject({
    method: 'PUT',
    url: '/api/v2/tokens/timeout',
    headers: json(admin),
    payload: { enableIdleTokenTimeout: true, idleTokenTimeoutSeconds: 3600 },
  });
  assert.equal(changed.statusCode, 200, changed.body);
  assert.deepEqual(audited(), [{ action: 'putTokensTimeout', actor: asAdmin(), target: {}, result: 'succeeded', status: 200 }]);

  const plain = await t.token(clients.plain);
  audited();
  const refused = await t.inject({ method: 'DELETE', url: `/api/v2/tokens/${users.bob.id}`, headers: bearer(plain) });
  assert.equal(refused.statusCode, 403);
  assert.deepEqual(audited(), [
    {
      action: 'deleteToken',
      actor: { kind: 'token', clientId: clients.plain.id, userId: null, organizationId: ACME },
      target: { userId: users.bob.id },
      result: 'refused',
      status: 403,
      code: 'missing.any.permissions',
    },
  ]);

  const anonymous = await t.inject({ method: 'DELETE', url: `/api/v2/tokens/${users.bob.id}` });
  assert.equal(anonymous.statusCode, 401);
  assert.deepEqual(audited(), [], 'no valid token: nobody acted (the access log has the request)');

  const bad = await t.inject({ method: 'PUT', url: '/api/v2/tokens/timeout', headers: json(admin), payload: { idleTokenTimeoutSeconds: 'soon' } });
  assert.equal(bad.statusCode, 400);
  assert.deepEqual(audited(), [{ action: 'putTokensTimeout', actor: asAdmin(), target: {}, result: 'refused', status: 400, code: bad.json().code }]);

  // The caller's own logout is no admin action.
  assert.equal((await t.inject({ method: 'DELETE', url: '/api/v2/tokens/me', headers: bearer(plain) })).statusCode, 200);
  assert.deepEqual(audited(), []);
});

test('a client made and its secret regenerated: the lines name the new id, never the secret', async () => {
  const admin = await t.token(clients.wildcard);
  audited();
  const made = await t.inject({
    method: 'POST',
    url: '/api/v2/oauth/clients',
    headers: json(admin),
    payload: { name: 'Audited', authorizedGrantType: 'CLIENT-CREDENTIALS', roleIds: [] },
  });
  assert.equal(made.statusCode, 200, made.body);
  const { id, secret } = made.json() as { id: string; secret: string };
  const regenerated = await t.inject({ method: 'POST', url: `/api/v2/oauth/clients/${id}/secret`, headers: bearer(admin) });
  assert.equal(regenerated.statusCode, 200, regenerated.body);
  const actor = { kind: 'token', clientId: clients.wildcard.id, userId: null, organizationId: ACME };
  const written = audited();
  assert.deepEqual(written, [
    { action: 'postOauthClients', actor, target: { id }, result: 'succeeded', status: 200 },
    // The answer is the client, whose id the line names beside the path's.
    { action: 'postOauthClientSecret', actor, target: { clientId: id, id }, result: 'succeeded', status: 200 },
  ]);
  for (const value of [secret, regenerated.json().secret as string]) assert.ok(!JSON.stringify(written).includes(value));
});

test('consent given on the consent page and removed on the account page: one line each, the person as actor', async () => {
  const browser = new Browser(t);
  const code = await browser.code(clients.codeApp, clients.codeApp.redirectUri, users.carol);
  const issued = await tokenRequest(t, { grant_type: 'authorization_code', code, redirect_uri: clients.codeApp.redirectUri }, CODE_APP_AUTH);
  assert.equal(issued.statusCode, 200, issued.body);
  const person = { kind: 'person', userId: users.carol.id, organizationId: ACME };
  assert.deepEqual(audited(), [{ action: 'consent.give', actor: person, target: { clientId: clients.codeApp.id }, result: 'succeeded' }]);

  // Still signed in from the sign-in that allowed the app.
  const csrf = hiddenField((await browser.get('/account')).body, 'csrf') as string;
  const removed = await browser.post('/account/remove-access', { client: clients.codeApp.id, csrf });
  assert.equal(removed.statusCode, 303);
  assert.deepEqual(audited(), [{ action: 'consent.remove', actor: person, target: { clientId: clients.codeApp.id }, result: 'succeeded' }]);
});
