/** GET and PUT /api/v2/tokens/timeout, and the idle timeout semantics (CONTRACT.md). */
import assert from 'node:assert/strict';
import { after, beforeEach, describe, test } from 'node:test';
import { assertErrorBody, errorBodies } from '../helpers/api-error.js';
import { bearer, startTestApp, type TestApp } from '../helpers/app.js';
import { clients, groups, users } from '../helpers/fixture.js';

let t: TestApp;
beforeEach(async () => {
  await t?.close();
  t = await startTestApp();
});
after(() => t.close());

const DEFAULT = {
  enableIdleTokenTimeout: false,
  idleTokenTimeoutSeconds: 900,
  inactivityTimeoutUnit: 'Minutes',
  inactivityTimeoutGroupsEnabled: false,
  inactivityTimeoutGroupBundles: [],
};
const put = (token: string, body: unknown, headers: Record<string, string> = {}) =>
  t.inject({
    method: 'PUT',
    url: '/api/v2/tokens/timeout',
    headers: { ...bearer(token), 'content-type': 'application/json', ...headers },
    payload: typeof body === 'string' ? body : JSON.stringify(body),
  });
const me = (token: string, query = '') => t.inject({ method: 'GET', url: `/api/v2/tokens/me${query}`, headers: bearer(token) });

describe('GET and PUT', () => {
  test('GET returns the organization value; PUT stores and returns it', async () => {
    const admin = await t.token(clients.admin);
    const get = await t.inject({ method: 'GET', url: '/api/v2/tokens/timeout', headers: bearer(admin) });
    assert.equal(get.statusCode, 200);
    assert.deepEqual(get.json(), DEFAULT);
    const next = { ...DEFAULT, enableIdleTokenTimeout: true, idleTokenTimeoutSeconds: 7200, inactivityTimeoutUnit: 'Hours' };
    const response = await put(admin, next);
    assert.equal(response.statusCode, 200);
    assert.deepEqual(response.json(), next);
    assert.deepEqual((await t.inject({ method: 'GET', url: '/api/v2/tokens/timeout', headers: bearer(await t.token(clients.plain)) })).json(), next);
  });

  test('fields left out keep their value', async () => {
    const admin = await t.token(clients.admin);
    await put(admin, { enableIdleTokenTimeout: true, idleTokenTimeoutSeconds: 600 });
    assert.deepEqual((await put(admin, { inactivityTimeoutUnit: 'Hours' })).json(), {
      ...DEFAULT,
      enableIdleTokenTimeout: true,
      idleTokenTimeoutSeconds: 600,
      inactivityTimeoutUnit: 'Hours',
    });
  });

  const invalid: Array<[string, unknown, string, string, string]> = [
    ['too short', { idleTokenTimeoutSeconds: 299 }, 'invalid.value', 'idleTokenTimeoutSeconds', 'idleTokenTimeoutSeconds must be >= 300'],
    ['too long', { idleTokenTimeoutSeconds: 28801 }, 'invalid.value', 'idleTokenTimeoutSeconds', 'idleTokenTimeoutSeconds must be <= 28800'],
    ['not an integer', { idleTokenTimeoutSeconds: 600.5 }, 'invalid.value', 'idleTokenTimeoutSeconds', 'idleTokenTimeoutSeconds must be integer'],
    ['a string number', { idleTokenTimeoutSeconds: '600' }, 'invalid.value', 'idleTokenTimeoutSeconds', 'idleTokenTimeoutSeconds must be integer'],
    ['a string boolean', { enableIdleTokenTimeout: 'true' }, 'invalid.value', 'enableIdleTokenTimeout', 'enableIdleTokenTimeout must be boolean'],
    ['an unknown unit', { inactivityTimeoutUnit: 'Days' }, 'invalid.value', 'inactivityTimeoutUnit', 'inactivityTimeoutUnit must be equal to constant'],
    ['groups flag', { inactivityTimeoutGroupsEnabled: 1 }, 'invalid.value', 'inactivityTimeoutGroupsEnabled', 'inactivityTimeoutGroupsEnabled must be boolean'],
    ['an unknown property', { idleTimeout: 600 }, 'invalid.property', 'idleTimeout', 'Unrecognized property: idleTimeout'],
    [
      'six bundles',
      { inactivityTimeoutGroupBundles: [1, 2, 3, 4, 5, 6].map((p) => ({ priority: (p % 5) + 1, timeoutSeconds: 600, groups: [] })) },
      'invalid.value',
      'inactivityTimeoutGroupBundles',
      'inactivityTimeoutGroupBundles must NOT have more than 5 items',
    ],
    [
      'bundle priority',
      { inactivityTimeoutGroupBundles: [{ priority: 6, timeoutSeconds: 600, groups: [] }] },
      'invalid.value',
      'inactivityTimeoutGroupBundles[0].priority',
      'inactivityTimeoutGroupBundles[0].priority must be <= 5',
    ],
    [
      'bundle timeout',
      { inactivityTimeoutGroupBundles: [{ priority: 1, timeoutSeconds: 100, groups: [] }] },
      'invalid.value',
      'inactivityTimeoutGroupBundles[0].timeoutSeconds',
      'inactivityTimeoutGroupBundles[0].timeoutSeconds must be >= 300',
    ],
    [
      'bundle without groups',
      { inactivityTimeoutGroupBundles: [{ priority: 1, timeoutSeconds: 600 }] },
      'invalid.value',
      'inactivityTimeoutGroupBundles[0].groups',
      'inactivityTimeoutGroupBundles[0].groups is required',
    ],
    [
      'bundle unknown property',
      { inactivityTimeoutGroupBundles: [{ priority: 1, timeoutSeconds: 600, groups: [], x: 1 }] },
      'invalid.property',
      'inactivityTimeoutGroupBundles[0].x',
      'Unrecognized property: inactivityTimeoutGroupBundles[0].x',
    ],
    [
      'bundle unknown group',
      { inactivityTimeoutGroupBundles: [{ priority: 1, timeoutSeconds: 600, groups: ['00000000-0000-4000-8000-000000000000'] }] },
      'invalid.value',
      'inactivityTimeoutGroupBundles[0].groups[0]',
      'inactivityTimeoutGroupBundles[0].groups[0]: no group with id 00000000-0000-4000-8000-000000000000 in this organization',
    ],
    [
      'duplicate priorities',
      {
        inactivityTimeoutGroupBundles: [
          { priority: 1, timeoutSeconds: 600, groups: [] },
          { priority: 1, timeoutSeconds: 900, groups: [] },
        ],
      },
      'invalid.value',
      'inactivityTimeoutGroupBundles[1].priority',
      'inactivityTimeoutGroupBundles[1].priority: priority 1 is used by another bundle',
    ],
  ];
  for (const [name, body, code, fieldName, message] of invalid) {
    test(`PUT refuses ${name} with 400 ${code} naming ${fieldName}, and changes nothing`, async () => {
      const admin = await t.token(clients.admin);
      assertErrorBody(await put(admin, body), { status: 400, code, message, details: [{ errorCode: code, fieldName }] });
      assert.deepEqual((await t.inject({ method: 'GET', url: '/api/v2/tokens/timeout', headers: bearer(admin) })).json(), DEFAULT);
    });
  }

  test('PUT refuses a body that is not a JSON object', async () => {
    const admin = await t.token(clients.admin);
    const notJson = { status: 400, code: 'bad.request', message: 'The request body is not valid JSON.' };
    const notAnObject = { status: 400, code: 'bad.request', message: 'The request body must be a JSON object.' };
    const notJsonType = { status: 415, code: 'unsupported.media.type', message: 'The request body must be application/json.' };
    const tooLarge = {
      status: 413,
      code: 'request.entity.too.large',
      message: 'The request entity is too large. Maximum bytes: 65536',
      messageWithParams: 'The request entity is too large. Maximum bytes: {maxBytes}',
      messageParams: { maxBytes: '65536' },
    };
    for (const [payload, headers, expected] of [
      ['{"enableIdleTokenTimeout": tru', {}, notJson],
      ['[]', {}, notAnObject],
      ['null', {}, notAnObject],
      ['', {}, notAnObject],
      ['enableIdleTokenTimeout=true', { 'content-type': 'application/x-www-form-urlencoded' }, notJsonType],
      ['hello', { 'content-type': 'text/plain' }, notJsonType],
      [JSON.stringify({ inactivityTimeoutUnit: 'x'.repeat(70 * 1024) }), {}, tooLarge],
    ] as const) {
      assertErrorBody(await put(admin, payload, headers), expected, payload.slice(0, 30));
    }
  });

  test('PUT needs directory:organization:admin (403 before the body is even looked at)', async () => {
    assertErrorBody(await put(await t.token(clients.plain), { idleTokenTimeoutSeconds: 1 }), errorBodies.missingAnyPermissions('directory:organization:admin'));
  });

  test('a user token needs the authorization scope; authorization:readonly allows GET only', async () => {
    const readonly = await t.token(clients.readonlyApp, users.alice);
    assertErrorBody(await put(readonly, { enableIdleTokenTimeout: true }), errorBodies.scopeNotAuthorized('authorization'));
    assert.equal((await t.inject({ method: 'GET', url: '/api/v2/tokens/timeout', headers: bearer(readonly) })).statusCode, 200);
    const full = await t.token(clients.passwordApp, users.alice);
    assert.equal((await put(full, { enableIdleTokenTimeout: true })).statusCode, 200);
    const bob = await t.token(clients.passwordApp, users.bob);
    assertErrorBody(await put(bob, { enableIdleTokenTimeout: true }), errorBodies.missingAnyPermissions('directory:organization:admin'));
  });
});

describe('idle semantics', () => {
  async function enable(seconds: number, extra: object = {}) {
    const response = await put(await t.token(clients.admin), { enableIdleTokenTimeout: true, idleTokenTimeoutSeconds: seconds, ...extra });
    assert.equal(response.statusCode, 200);
  }

  test('a token idles out exactly at its deadline, and stays revoked', async () => {
    await enable(300);
    const token = await t.token(clients.plain);
    const first = await me(token);
    assert.equal(first.json().dateTokenIdles, new Date(t.clock.now() + 300_000).toISOString());
    t.clock.advance(299_999);
    assert.equal((await me(token, '?preserveIdleTTL=true')).statusCode, 200);
    t.clock.advance(1);
    assertErrorBody(await me(token), errorBodies.badCredentials);
    await put(await t.token(clients.admin), { enableIdleTokenTimeout: false });
    assert.equal((await me(token)).statusCode, 401, 'an idled-out token is revoked for good');
  });

  test('every authenticated request restarts the clock; preserveIdleTTL=true does not', async () => {
    await enable(300);
    const token = await t.token(clients.admin);
    for (let i = 0; i < 3; i++) {
      t.clock.advance(200_000);
      const response = await t.inject({ method: 'HEAD', url: '/api/v2/tokens/me', headers: bearer(token) });
      assert.equal(response.statusCode, 200);
    }
    const before = (await me(token, '?preserveIdleTTL=true')).json().dateTokenIdles;
    assert.equal(before, new Date(t.clock.now() + 300_000).toISOString());
    t.clock.advance(100_000);
    assert.equal((await me(token, '?preserveIdleTTL=true')).json().dateTokenIdles, before, 'preserved');
    t.clock.advance(100_000);
    assert.equal((await me(token, '?preserveIdleTTL=false')).json().dateTokenIdles, new Date(t.clock.now() + 300_000).toISOString(), 'restarted');
  });

  test('a request refused as bad input does not restart the clock', async () => {
    await enable(300);
    const token = await t.token(clients.plain);
    t.clock.advance(200_000);
    assert.equal((await me(token, '?preserveIdleTTL=maybe')).statusCode, 400);
    t.clock.advance(100_000);
    assert.equal((await me(token)).statusCode, 401);
  });

  test('it applies to user tokens too; group bundles pick by lowest priority number', async () => {
    const admin = await t.token(clients.admin);
    const response = await put(admin, {
      enableIdleTokenTimeout: true,
      idleTokenTimeoutSeconds: 3600,
      inactivityTimeoutGroupsEnabled: true,
      inactivityTimeoutGroupBundles: [
        { priority: 2, timeoutSeconds: 600, groups: [groups.nightShift] },
        { priority: 1, timeoutSeconds: 300, inactivityTimeoutUnit: 'Minutes', groups: [groups.supervisors] },
      ],
    });
    assert.equal(response.statusCode, 200);
    const idles = async (user: { email: string; password: string }) => {
      const body = (await me(await t.token(clients.passwordApp, user))).json();
      return (Date.parse(body.dateTokenIdles) - t.clock.now()) / 1000;
    };
    assert.equal(await idles(users.alice), 3600, 'in no bundle: the organization value');
    assert.equal(await idles(users.bob), 600, 'night shift');
    assert.equal(await idles(users.carol), 300, 'night shift and supervisors: priority 1 wins');
  });

  test('with bundles but the organization value off, users outside bundles have no timeout', async () => {
    await put(await t.token(clients.admin), {
      enableIdleTokenTimeout: false,
      inactivityTimeoutGroupsEnabled: true,
      inactivityTimeoutGroupBundles: [{ priority: 1, timeoutSeconds: 600, groups: [groups.nightShift] }],
    });
    assert.equal((await me(await t.token(clients.passwordApp, users.alice))).json().dateTokenIdles, undefined);
    assert.ok((await me(await t.token(clients.passwordApp, users.bob))).json().dateTokenIdles);
  });

  test('switching the timeout on measures idleness from the true last use', async () => {
    const token = await t.token(clients.plain);
    t.clock.advance(250_000);
    assert.equal((await me(token)).statusCode, 200);
    t.clock.advance(100_000);
    await enable(300);
    assert.equal((await me(token, '?preserveIdleTTL=true')).statusCode, 200, 'used 100 s ago');
    t.clock.advance(200_000);
    assert.equal((await me(token)).statusCode, 401, 'used 300 s ago');
  });
});
