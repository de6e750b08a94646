/** No token, secret or password ever reaches the log, whatever the request. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { basic, bearer, startTestApp } from '../helpers/app.js';
import { clients, users } from '../helpers/fixture.js';
import { captureLog } from '../helpers/log-capture.js';

test('the log holds no token, secret or password', async () => {
  const captured = captureLog();
  const t = await startTestApp({ logger: { level: 'trace', stream: captured.stream } });
  try {
    const token = await t.token(clients.admin);
    const userToken = await t.token(clients.passwordApp, users.alice);
    await t.inject({ method: 'GET', url: `/api/v2/tokens/me?access_token=${token}`, headers: bearer(token) });
    await t.inject({ method: 'GET', url: '/api/v2/tokens/me', headers: bearer(`${token}x`) });
    await t.inject({
      method: 'POST',
      url: '/oauth/token',
      headers: { authorization: basic(clients.admin.id, 'wrong-secret-value'), 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'grant_type=client_credentials',
    });
    await t.inject({
      method: 'POST',
      url: '/oauth/token',
      headers: { authorization: basic(clients.passwordApp.id, clients.passwordApp.secret), 'content-type': 'application/x-www-form-urlencoded' },
      payload: `grant_type=password&username=${users.bob.email}&password=wrong-password-value`,
    });
    await t.inject({
      method: 'PUT',
      url: '/api/v2/tokens/timeout',
      headers: { ...bearer(userToken), 'content-type': 'application/json' },
      payload: '{bad json',
    });
    await t.inject({ method: 'DELETE', url: '/api/v2/tokens/me', headers: bearer(userToken) });
  } finally {
    await t.close();
  }
  const log = captured.text();
  assert.ok(captured.lines().length >= 8, 'requests were logged');
  for (const secret of [
    clients.admin.secret,
    clients.passwordApp.secret,
    users.alice.password,
    'wrong-secret-value',
    'wrong-password-value',
    users.bob.password,
  ]) {
    assert.ok(!log.includes(secret), `the log must not hold ${secret}`);
  }
  assert.ok(!/"authorization"/i.test(log), 'no Authorization header');
  assert.ok(!/[A-Za-z0-9_-]{43}/.test(log.replace(/"(reqId|id)":"[0-9a-f-]{36}"/g, '')), 'nothing shaped like a token');
});
