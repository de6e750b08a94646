/**
 * One client authentication for /oauth/token, /oauth/introspect and /oauth/revoke
 * (core/client-caller.ts): the same request names its client the same way at all three, and
 * the same mistakes are the same 401 `invalid_client` everywhere.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { basic, startTestApp, type TestApp } from '../helpers/app.js';
import { clients } from '../helpers/fixture.js';

let t: TestApp;
let token: string;
before(async () => {
  t = await startTestApp();
  token = await t.token(clients.admin);
});
after(() => t.close());

const INVALID_CLIENT = { error: 'invalid_client', description: 'authentication failed', error_description: 'authentication failed' };

const ENDPOINTS: Array<[string, Record<string, string>]> = [
  ['/oauth/token', { grant_type: 'client_credentials' }],
  ['/oauth/introspect', {}],
  ['/oauth/revoke', {}],
];

test('a secret in the form beside Basic, a form client_id other than the Basic one, and an unreadable Basic header: 401 invalid_client at all three endpoints', async () => {
  const { id, secret } = clients.admin;
  const mistakes: Array<[string, string | undefined, Record<string, string>]> = [
    ['a secret in the form too', basic(id, secret), { client_secret: secret }],
    ['a secret in the form alone', undefined, { client_id: id, client_secret: secret }],
    ['another client_id in the form', basic(id, secret), { client_id: clients.plain.id }],
    ['an unreadable Basic header', 'Basic %%%', {}],
  ];
  for (const [url, fields] of ENDPOINTS) {
    for (const [mistake, authorization, extra] of mistakes) {
      const response = await t.inject({
        method: 'POST',
        url,
        remoteAddress: '10.90.0.1',
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...(authorization === undefined ? {} : { authorization }) },
        payload: new URLSearchParams({ ...fields, token, ...extra }).toString(),
      });
      assert.deepEqual([response.statusCode, response.json()], [401, INVALID_CLIENT], `${url}: ${mistake}`);
    }
    // The same request, rightly made, is answered.
    const right = await t.inject({
      method: 'POST',
      url,
      remoteAddress: '10.90.0.1',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic(id, secret) },
      payload: new URLSearchParams({ ...fields, token, client_id: id }).toString(),
    });
    assert.equal(right.statusCode, 200, `${url}: ${right.body}`);
  }
});

test('introspection answers from the bearer path: a token ended by revocation is inactive at once', async () => {
  const fresh = await t.token(clients.admin);
  const ask = () =>
    t.inject({
      method: 'POST',
      url: '/oauth/introspect',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic(clients.admin.id, clients.admin.secret) },
      payload: `token=${fresh}`,
    });
  assert.equal((await ask()).json().active, true);
  const revoked = await t.inject({
    method: 'POST',
    url: '/oauth/revoke',
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic(clients.admin.id, clients.admin.secret) },
    payload: `token=${fresh}`,
  });
  assert.equal(revoked.statusCode, 200);
  assert.deepEqual((await ask()).json(), { active: false });
});
