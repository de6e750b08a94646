import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { bearer, startTestApp, type TestApp } from '../helpers/app.js';
import { clients } from '../helpers/fixture.js';

let t: TestApp;
before(async () => {
  t = await startTestApp();
});
after(() => t.close());

test('a client-credentials token reads /api/v2/tokens/me', async () => {
  const token = await t.token(clients.admin);
  const response = await t.inject({ method: 'GET', url: '/api/v2/tokens/me', headers: bearer(token) });
  assert.equal(response.statusCode, 200);
  assert.equal(response.json().OAuthClient.id, clients.admin.id);
});
