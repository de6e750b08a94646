/**
 * A client admin cannot take over a stronger client (CONTRACT.md, "Control plane", ours): with
 * `oauth:client:*` alone, regenerating the secret of, PUTting (a new state included) or deleting a
 * client that holds `*` is 403 `missing.permissions` naming what the caller lacks, and changes
 * nothing; another organization's or an unknown client stays 404 first; a client whose every role
 * the caller holds is still changed as before.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { assertErrorBody, type ExpectedErrorBody } from '../helpers/api-error.js';
import { basic, bearer, clientCredentialsRequest, startTestApp, type TestApp } from '../helpers/app.js';
import { CLIENTS_SEED, initrode, othercorp } from '../helpers/clients-fixture.js';

const json = (token: string) => ({ ...bearer(token), 'content-type': 'application/json' });

let t: TestApp;
let admin: string;
let home: string;
before(async () => {
  t = await startTestApp({ seedFile: CLIENTS_SEED });
  admin = await t.token(initrode.clientAdmin);
  const seeded = await t.inject({ method: 'GET', url: `/api/v2/oauth/clients/${initrode.seeded.id}`, headers: bearer(admin) });
  home = seeded.json().roleDivisions[0].divisionId;
});
after(() => t.close());

/** The refusal for a target holding the Everything role (`*`), which the client admin lacks. */
const lacksEverything: ExpectedErrorBody = {
  status: 403,
  code: 'missing.permissions',
  message: 'Unable to perform the requested action. You are missing the following permission(s): *',
  messageWithParams: 'Unable to perform the requested action. You are missing the following permission(s): {permissions}',
  messageParams: { permissions: '*' },
  details: [{ errorCode: 'missing.permissions', fieldName: 'roleDivisions', entityId: initrode.roles.everything, entityName: 'Everything' }],
};

const read = async (id: string) => (await t.inject({ method: 'GET', url: `/api/v2/oauth/clients/${id}`, headers: bearer(admin) })).json();

/** Every change a caller can ask of one client, as (what, request) pairs. */
function changes(id: string, token: string, name: string) {
  const put = (payload: Record<string, unknown>) => () =>
    t.inject({
      method: 'PUT',
      url: `/api/v2/oauth/clients/${id}`,
      headers: json(token),
      payload: { name, authorizedGrantType: 'CLIENT-CREDENTIALS', ...payload },
    });
  return [
    ['POST .../secret', () => t.inject({ method: 'POST', url: `/api/v2/oauth/clients/${id}/secret`, headers: bearer(token) })],
    ['PUT, roles kept', put({ roleDivisions: [{ roleId: initrode.roles.everything, divisionId: home }] })],
    ['PUT, roles dropped', put({})],
    ['PUT state=disabled', put({ state: 'disabled' })],
    ['PUT state=active', put({ state: 'active' })],
    ['PUT with a bad body', put({ authorizedGrantType: 'MAGIC' })],
    ['DELETE', () => t.inject({ method: 'DELETE', url: `/api/v2/oauth/clients/${id}`, headers: bearer(token) })],
  ] as const;
}

describe('a stronger client is out of reach', () => {
  test('a client admin (a client-credentials token) is refused every change of a client holding *, and nothing changes', async () => {
    const before = await read(initrode.root.id);
    const rootToken = await t.token(initrode.root);
    for (const [what, request] of changes(initrode.root.id, admin, 'Taken')) assertErrorBody(await request(), lacksEverything, what);
    assert.deepEqual(await read(initrode.root.id), before, 'name, roles, state and dates as they were');
    assert.equal((await clientCredentialsRequest(t, initrode.root)).statusCode, 200, 'its secret still works');
    assert.equal((await t.inject({ method: 'HEAD', url: '/api/v2/tokens/me', headers: bearer(rootToken) })).statusCode, 200, 'its tokens still work');
  });

  test('a disabled client holding * stays disabled: PUT state=active is 403 and it still gets no token', async () => {
    const before = await read(initrode.dormantRoot.id);
    assert.equal(before.state, 'disabled');
    for (const [what, request] of changes(initrode.dormantRoot.id, admin, 'Awake')) assertErrorBody(await request(), lacksEverything, what);
    assert.deepEqual(await read(initrode.dormantRoot.id), before);
    const refused = await clientCredentialsRequest(t, initrode.dormantRoot);
    assert.deepEqual([refused.statusCode, refused.json().error], [400, 'unauthorized_client']);
  });

  test('a user token with scope oauth, whose person holds oauth:client:* only, is refused the same way', async () => {
    const ivy = await t.token(initrode.oauthApp, initrode.ivy);
    for (const [what, request] of changes(initrode.root.id, ivy, 'Taken')) assertErrorBody(await request(), lacksEverything, what);
    assert.equal((await clientCredentialsRequest(t, initrode.root)).statusCode, 200);
  });

  test("another organization's client and an unknown one are 404 first, whatever their roles", async () => {
    for (const id of [othercorp.client.id, 'no-such-client']) {
      for (const [what, request] of changes(id, admin, 'Taken')) {
        const response = await request();
        assert.deepEqual([response.statusCode, response.json().code], [404, 'not.found'], `${what} ${id}`);
      }
    }
  });

  test("the refusal names only the roles of the target the caller does not hold; the route's own permission is checked first", async () => {
    const root = await t.token(initrode.root);
    const made = await t.inject({
      method: 'POST',
      url: '/api/v2/oauth/clients',
      headers: json(root),
      payload: {
        name: 'Two strong roles',
        authorizedGrantType: 'CLIENT-CREDENTIALS',
        roleDivisions: [initrode.roles.tokenAdmin, initrode.roles.everything, initrode.roles.clientAdmin].map((roleId) => ({ roleId, divisionId: home })),
      },
    });
    assert.equal(made.statusCode, 200, made.body);
    const viewer = await t.token(initrode.viewer);
    // The viewer lacks the delete permission itself: the route's permission check answers first.
    const first = await t.inject({ method: 'DELETE', url: `/api/v2/oauth/clients/${made.json().id}`, headers: bearer(viewer) });
    assert.deepEqual([first.statusCode, first.json().code], [403, 'missing.any.permissions']);
    assertErrorBody(await t.inject({ method: 'DELETE', url: `/api/v2/oauth/clients/${made.json().id}`, headers: bearer(admin) }), lacksEverything);
  });
});

describe('a client whose every role the caller holds is changed as before', () => {
  test('regenerate, PUT (disable, enable) and DELETE of a peer client succeed', async () => {
    const made = await t.inject({
      method: 'POST',
      url: '/api/v2/oauth/clients',
      headers: json(admin),
      payload: {
        name: 'Peer',
        authorizedGrantType: 'CLIENT-CREDENTIALS',
        roleDivisions: [initrode.roles.clientAdmin, initrode.roles.tokenAdmin].map((roleId) => ({ roleId, divisionId: home })),
      },
    });
    assert.equal(made.statusCode, 200, made.body);
    const { id } = made.json();
    const regenerated = await t.inject({ method: 'POST', url: `/api/v2/oauth/clients/${id}/secret`, headers: bearer(admin) });
    assert.equal(regenerated.statusCode, 200, regenerated.body);
    const login = (secret: string) =>
      t.inject({
        method: 'POST',
        url: '/oauth/token',
        headers: { authorization: basic(id, secret), 'content-type': 'application/x-www-form-urlencoded' },
        payload: 'grant_type=client_credentials',
      });
    assert.equal((await login(regenerated.json().secret)).statusCode, 200);
    for (const state of ['disabled', 'active']) {
      const put = await t.inject({
        method: 'PUT',
        url: `/api/v2/oauth/clients/${id}`,
        headers: json(admin),
        payload: { name: 'Peer', authorizedGrantType: 'CLIENT-CREDENTIALS', roleDivisions: made.json().roleDivisions, state },
      });
      assert.deepEqual([put.statusCode, put.json().state], [200, state], put.body);
    }
    const deleted = await t.inject({ method: 'DELETE', url: `/api/v2/oauth/clients/${id}`, headers: bearer(admin) });
    assert.equal(deleted.statusCode, 204);
  });

  test('the strongest caller may change the strong client, and a client with no roles is open to anyone with the permission', async () => {
    const root = await t.token(initrode.root);
    const put = await t.inject({
      method: 'PUT',
      url: `/api/v2/oauth/clients/${initrode.dormantRoot.id}`,
      headers: json(root),
      payload: { name: 'Dormant root', authorizedGrantType: 'CLIENT-CREDENTIALS', roleDivisions: [{ roleId: initrode.roles.everything, divisionId: home }] },
    });
    assert.deepEqual([put.statusCode, put.json().state], [200, 'disabled'], put.body);
    const app = await t.inject({ method: 'POST', url: `/api/v2/oauth/clients/${initrode.readonlyApp.id}/secret`, headers: bearer(admin) });
    assert.equal(app.statusCode, 200, app.body);
  });
});
