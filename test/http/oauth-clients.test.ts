/**
 * The OAuth clients API over raw HTTP (in process): exact statuses, codes and bodies for each
 * action and each refusal, and that a refused request changes nothing.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { assertErrorBody } from '../helpers/api-error.js';
import { basic, bearer, startTestApp, type TestApp } from '../helpers/app.js';
import { CLIENTS_SEED, initrode, othercorp } from '../helpers/clients-fixture.js';

const json = (token: string) => ({ ...bearer(token), 'content-type': 'application/json' });

let t: TestApp;
let admin: string;
before(async () => {
  t = await startTestApp({ seedFile: CLIENTS_SEED });
  admin = await t.token(initrode.clientAdmin);
});
after(() => t.close());

async function homeDivision(): Promise<string> {
  const listed = await t.inject({ method: 'GET', url: `/api/v2/oauth/clients/${initrode.seeded.id}`, headers: bearer(admin) });
  return listed.json().roleDivisions[0].divisionId as string;
}

async function create(body: Record<string, unknown>, token = admin) {
  return t.inject({ method: 'POST', url: '/api/v2/oauth/clients', headers: json(token), payload: body });
}

/** Token endpoint status for a client id and secret. */
async function login(id: string, secret: string): Promise<number> {
  const response = await t.inject({
    method: 'POST',
    url: '/oauth/token',
    headers: { authorization: basic(id, secret), 'content-type': 'application/x-www-form-urlencoded' },
    payload: 'grant_type=client_credentials',
  });
  return response.statusCode;
}

async function clientCount(): Promise<number> {
  return (await t.inject({ method: 'GET', url: '/api/v2/oauth/clients', headers: bearer(admin) })).json().total as number;
}

describe('create, read, list', () => {
  test('POST creates a client with a generated secret shown once; it gets a token at once; reads and lists never show the secret', async () => {
    const division = await homeDivision();
    const response = await create({
      name: 'Billing',
      authorizedGrantType: 'CLIENT-CREDENTIALS',
      roleDivisions: [{ roleId: initrode.roles.tokenAdmin, divisionId: division }],
      description: 'bills',
      accessTokenValiditySeconds: 3600,
    });
    assert.equal(response.statusCode, 200, response.body);
    const created = response.json();
    assert.match(created.id, /^[0-9a-f-]{36}$/);
    assert.equal(typeof created.secret, 'string');
    assert.ok(created.secret.length >= 43, 'a 256-bit secret');
    assert.deepEqual(
      { ...created, id: undefined, secret: undefined, dateCreated: undefined, dateModified: undefined },
      {
        id: undefined,
        secret: undefined,
        dateCreated: undefined,
        dateModified: undefined,
        name: 'Billing',
        description: 'bills',
        accessTokenValiditySeconds: 3600,
        registeredRedirectUri: [],
        roleIds: [initrode.roles.tokenAdmin],
        createdBy: { id: initrode.clientAdmin.id, selfUri: `/api/v2/oauth/clients/${initrode.clientAdmin.id}` },
        modifiedBy: { id: initrode.clientAdmin.id, selfUri: `/api/v2/oauth/clients/${initrode.clientAdmin.id}` },
        authorizedGrantType: 'CLIENT-CREDENTIALS',
        scope: [],
        roleDivisions: [{ roleId: initrode.roles.tokenAdmin, divisionId: division }],
        state: 'active',
        selfUri: `/api/v2/oauth/clients/${created.id}`,
      },
    );
    assert.equal(created.dateCreated, new Date(t.clock.now()).toISOString());
    assert.equal(await login(created.id, created.secret), 200);

    const read = await t.inject({ method: 'GET', url: `/api/v2/oauth/clients/${created.id}`, headers: bearer(admin) });
    assert.equal(read.statusCode, 200);
    assert.equal(read.json().secret, undefined);
    const { secret: _shownOnce, ...withoutSecret } = created;
    assert.deepEqual(read.json(), withoutSecret);
    const list = await t.inject({ method: 'GET', url: '/api/v2/oauth/clients', headers: bearer(admin) });
    assert.ok(!list.body.includes(created.secret) && !list.body.includes('"secret"') && !list.body.includes('scrypt'));
    assert.ok(list.json().entities.some((c: { id: string }) => c.id === created.id));
  });

  test('a user token with scope oauth creates; createdBy is the user; a CODE client takes scopes and redirect URIs; the deprecated roleIds work', async () => {
    const ivy = await t.token(initrode.oauthApp, initrode.ivy);
    const response = await create({ name: 'Web', authorizedGrantType: 'CODE', scope: ['oauth'], registeredRedirectUri: ['https://web.test/cb'] }, ivy);
    assert.equal(response.statusCode, 200, response.body);
    assert.deepEqual(response.json().createdBy, { id: initrode.ivy.id, selfUri: `/api/v2/users/${initrode.ivy.id}` });
    assert.deepEqual(
      [response.json().scope, response.json().registeredRedirectUri, response.json().accessTokenValiditySeconds],
      [['oauth'], ['https://web.test/cb'], 86400],
    );
    const legacy = await create({ name: 'Legacy', authorizedGrantType: 'CLIENT-CREDENTIALS', roleIds: [initrode.roles.tokenAdmin] });
    assert.equal(legacy.statusCode, 200, legacy.body);
    assert.deepEqual(legacy.json().roleDivisions, [{ roleId: initrode.roles.tokenAdmin, divisionId: await homeDivision() }]);
  });

  // The contract (CONTRACT.md, "The directory and authorization planes") replaced paging at 25: the SDK's getOauthClients takes no paging parameters.
  test('GET lists every client of one organization in one page, by name, and ignores paging parameters', async () => {
    const listed = await t.inject({ method: 'GET', url: '/api/v2/oauth/clients', headers: bearer(admin) });
    assert.equal(listed.statusCode, 200);
    const body = listed.json();
    const total = body.entities.length;
    assert.ok(total >= 6);
    assert.deepEqual(
      { ...body, entities: undefined },
      {
        entities: undefined,
        pageSize: total,
        pageNumber: 1,
        total,
        pageCount: 1,
        firstUri: '/api/v2/oauth/clients',
        selfUri: '/api/v2/oauth/clients',
        lastUri: '/api/v2/oauth/clients',
      },
    );
    const names = body.entities.map((c: { name: string }) => c.name);
    assert.deepEqual(
      names,
      [...names].sort((a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)),
      'by name',
    );
    assert.ok(body.entities.every((c: { selfUri: string }) => c.selfUri.startsWith('/api/v2/oauth/clients/')));
    assert.ok(!body.entities.some((c: { id: string }) => c.id === othercorp.client.id), "never another organization's");
    for (const query of ['pageSize=2&pageNumber=2', 'pageSize=0', 'pageNumber=99', 'pageSize=abc']) {
      const paged = await t.inject({ method: 'GET', url: `/api/v2/oauth/clients?${query}`, headers: bearer(admin) });
      assert.equal(paged.statusCode, 200, query);
      assert.deepEqual(paged.json(), body, query);
    }
  });
});

describe('refusals change nothing', () => {
  test('no token 401; wrong scope 403; a readonly scope reads only; a missing permission 403', async () => {
    const none = await t.inject({ method: 'GET', url: '/api/v2/oauth/clients' });
    assert.deepEqual([none.statusCode, none.json().code, none.headers['www-authenticate']], [401, 'authentication.required', 'Bearer realm="tokend"']);
    const other = await t.token(initrode.otherScopeApp, initrode.ivy);
    const scoped = await t.inject({ method: 'GET', url: '/api/v2/oauth/clients', headers: bearer(other) });
    assert.deepEqual(
      [scoped.statusCode, scoped.json().code, scoped.json().message],
      [403, 'app.not.authorized.for.scope', 'App not authorized to use scope oauth'],
    );
    const readonly = await t.token(initrode.readonlyApp, initrode.ivy);
    assert.equal((await t.inject({ method: 'GET', url: `/api/v2/oauth/clients/${initrode.seeded.id}`, headers: bearer(readonly) })).statusCode, 200);
    const before = await clientCount();
    const write = await create({ name: 'X', authorizedGrantType: 'PASSWORD' }, readonly);
    assert.deepEqual([write.statusCode, write.json().code], [403, 'app.not.authorized.for.scope']);
    const viewer = await t.token(initrode.viewer);
    const denied = await create({ name: 'X', authorizedGrantType: 'PASSWORD' }, viewer);
    assert.deepEqual(
      [denied.statusCode, denied.json().code, denied.json().messageParams],
      [403, 'missing.any.permissions', { permissions: 'oauth:client:add' }],
    );
    for (const [method, url] of [
      ['DELETE', `/api/v2/oauth/clients/${initrode.seeded.id}`],
      ['POST', `/api/v2/oauth/clients/${initrode.seeded.id}/secret`],
      ['PUT', `/api/v2/oauth/clients/${initrode.seeded.id}`],
    ] as const) {
      const response = await t.inject({ method, url, headers: json(viewer), payload: { name: 'X', authorizedGrantType: 'PASSWORD' } });
      assert.deepEqual([response.statusCode, response.json().code], [403, 'missing.any.permissions'], `${method} ${url}`);
    }
    assert.equal(await clientCount(), before);
    assert.equal(await login(initrode.seeded.id, initrode.seeded.secret), 200, 'the secret was not regenerated');
  });

  test("another organization's client is 404 for every method, and is left as it was", async () => {
    for (const [method, url] of [
      ['GET', `/api/v2/oauth/clients/${othercorp.client.id}`],
      ['PUT', `/api/v2/oauth/clients/${othercorp.client.id}`],
      ['DELETE', `/api/v2/oauth/clients/${othercorp.client.id}`],
      ['POST', `/api/v2/oauth/clients/${othercorp.client.id}/secret`],
      ['GET', '/api/v2/oauth/clients/no-such-client'],
    ] as const) {
      const response = await t.inject({
        method,
        url,
        headers: json(admin),
        payload: method === 'PUT' ? { name: 'Taken', authorizedGrantType: 'CLIENT-CREDENTIALS' } : undefined,
      });
      assert.deepEqual([response.statusCode, response.json().code], [404, 'not.found'], `${method} ${url}`);
    }
    assert.equal(await login(othercorp.client.id, othercorp.client.secret), 200);
  });

  test('a bad body is 400 naming the field, and nothing is made', async () => {
    const before = await clientCount();
    const division = await homeDivision();
    const cases: Array<[Record<string, unknown> | string, string, string]> = [
      [{ name: 'X', authorizedGrantType: 'CLIENT-CREDENTIALS', secret: 'mine' }, 'invalid.property', 'secret'],
      [{ name: 'X', authorizedGrantType: 'MAGIC' }, 'invalid.value', 'authorizedGrantType'],
      [{ authorizedGrantType: 'PASSWORD' }, 'invalid.value', 'name'],
      [{ name: 'X', authorizedGrantType: 'PASSWORD', accessTokenValiditySeconds: 10 }, 'invalid.value', 'accessTokenValiditySeconds'],
      [{ name: 'X', authorizedGrantType: 'PASSWORD', state: 'deleted' }, 'invalid.value', 'state'],
      [{ name: 'X', authorizedGrantType: 'CODE' }, 'invalid.value', 'registeredRedirectUri'],
      [{ name: 'X', authorizedGrantType: 'TOKEN', registeredRedirectUri: ['/relative'] }, 'invalid.value', 'registeredRedirectUri[0]'],
      [{ name: 'X', authorizedGrantType: 'CLIENT-CREDENTIALS', scope: ['oauth'] }, 'invalid.value', 'scope'],
      [{ name: 'X', authorizedGrantType: 'PASSWORD', roleIds: [initrode.roles.tokenAdmin] }, 'invalid.value', 'roleDivisions'],
      [
        { name: 'X', authorizedGrantType: 'CLIENT-CREDENTIALS', roleDivisions: [{ roleId: 'no-such-role', divisionId: division }] },
        'invalid.value',
        'roleDivisions[0].roleId',
      ],
      // Another organization's role reads as an unknown one: 400, as a bad reference in a body, not 404 (the URL names nothing missing).
      [
        { name: 'X', authorizedGrantType: 'CLIENT-CREDENTIALS', roleDivisions: [{ roleId: othercorp.roleId, divisionId: division }] },
        'invalid.value',
        'roleDivisions[0].roleId',
      ],
      [
        { name: 'X', authorizedGrantType: 'CLIENT-CREDENTIALS', roleDivisions: [{ roleId: initrode.roles.tokenAdmin, divisionId: 'elsewhere' }] },
        'invalid.value',
        'roleDivisions[0].divisionId',
      ],
      [
        { name: 'X', authorizedGrantType: 'CLIENT-CREDENTIALS', roleDivisions: [{ roleId: initrode.roles.tokenAdmin }] },
        'invalid.value',
        'roleDivisions[0].divisionId',
      ],
    ];
    for (const [body, code, fieldName] of cases) {
      const response = await create(body as Record<string, unknown>);
      assert.equal(response.statusCode, 400, `${JSON.stringify(body)}: ${response.body}`);
      assert.deepEqual([response.json().code, response.json().details[0]?.fieldName], [code, fieldName], JSON.stringify(body));
    }
    const empty = await t.inject({ method: 'POST', url: '/api/v2/oauth/clients', headers: bearer(admin) });
    assert.deepEqual([empty.statusCode, empty.json().code], [400, 'bad.request']);
    const notJson = await t.inject({
      method: 'POST',
      url: '/api/v2/oauth/clients',
      headers: { ...bearer(admin), 'content-type': 'text/plain' },
      payload: 'name=x',
    });
    assert.deepEqual([notJson.statusCode, notJson.json().code], [415, 'unsupported.media.type']);
    assert.equal(await clientCount(), before);
  });

  test('odd JSON bodies on POST and PUT are 400, never 5xx, and change nothing', async () => {
    const before = await clientCount();
    const bodies = [
      'null',
      '[]',
      '"x"',
      '7',
      '{"name":1,"authorizedGrantType":"PASSWORD"}',
      '{"name":"x","authorizedGrantType":"PASSWORD","scope":[1]}',
      '{"name":"x","authorizedGrantType":"PASSWORD","dateToDelete":"yesterday"}',
      '{"name":"","authorizedGrantType":"PASSWORD"}',
      '{"name":"x","authorizedGrantType":"PASSWORD","roleDivisions":"all"}',
    ];
    for (const payload of bodies) {
      for (const [method, url] of [
        ['POST', '/api/v2/oauth/clients'],
        ['PUT', `/api/v2/oauth/clients/${initrode.seeded.id}`],
      ] as const) {
        const response = await t.inject({ method, url, headers: json(admin), payload });
        assert.equal(response.statusCode, 400, `${method} ${payload}: ${response.body}`);
      }
    }
    assert.equal(await clientCount(), before);
    assert.equal((await t.inject({ method: 'GET', url: `/api/v2/oauth/clients/${initrode.seeded.id}`, headers: bearer(admin) })).json().name, 'Seeded service');
  });

  test('a caller may give only roles whose permissions it holds: 403 missing.permissions naming them', async () => {
    const before = await clientCount();
    const division = await homeDivision();
    const response = await create({
      name: 'Root',
      authorizedGrantType: 'CLIENT-CREDENTIALS',
      roleDivisions: [{ roleId: initrode.roles.everything, divisionId: division }],
    });
    assertErrorBody(response, {
      status: 403,
      code: 'missing.permissions',
      message: 'Unable to perform the requested action. You are missing the following permission(s): *',
      messageWithParams: 'Unable to perform the requested action. You are missing the following permission(s): {permissions}',
      messageParams: { permissions: '*' },
      details: [{ errorCode: 'missing.permissions', fieldName: 'roleDivisions', entityId: initrode.roles.everything, entityName: 'Everything' }],
    });
    const held = await create({
      name: 'Peer',
      authorizedGrantType: 'CLIENT-CREDENTIALS',
      roleDivisions: [{ roleId: initrode.roles.clientAdmin, divisionId: division }],
    });
    assert.equal(held.statusCode, 200, 'its own role, whose every permission it holds');
    assert.equal(await clientCount(), before + 1);
  });
});

describe('update, regenerate, delete', () => {
  test("PUT replaces the fields; disabling revokes the client's tokens at once; a refused PUT changes nothing", async () => {
    const division = await homeDivision();
    const made = (
      await create({ name: 'Ops', authorizedGrantType: 'CLIENT-CREDENTIALS', roleDivisions: [{ roleId: initrode.roles.tokenAdmin, divisionId: division }] })
    ).json();
    const token = await t.token({ id: made.id, secret: made.secret });
    t.clock.advance(1000);
    const put = await t.inject({
      method: 'PUT',
      url: `/api/v2/oauth/clients/${made.id}`,
      headers: json(admin),
      payload: {
        name: 'Ops 2',
        authorizedGrantType: 'CLIENT-CREDENTIALS',
        roleDivisions: [{ roleId: initrode.roles.tokenAdmin, divisionId: division }],
        description: 'renamed',
        state: 'disabled',
      },
    });
    assert.equal(put.statusCode, 200, put.body);
    assert.deepEqual([put.json().name, put.json().description, put.json().state, put.json().secret], ['Ops 2', 'renamed', 'disabled', undefined]);
    assert.equal(put.json().dateModified, new Date(t.clock.now()).toISOString());
    assert.notEqual(put.json().dateCreated, put.json().dateModified);
    assert.equal((await t.inject({ method: 'HEAD', url: '/api/v2/tokens/me', headers: bearer(token) })).statusCode, 401);
    assert.equal(await login(made.id, made.secret), 400, 'a disabled client gets no token (unauthorized_client)');
    const enabled = await t.inject({
      method: 'PUT',
      url: `/api/v2/oauth/clients/${made.id}`,
      headers: json(admin),
      payload: { name: 'Ops 2', authorizedGrantType: 'CLIENT-CREDENTIALS', state: 'active' },
    });
    assert.deepEqual([enabled.statusCode, enabled.json().roleDivisions], [200, []]);
    assert.equal(await login(made.id, made.secret), 200);
    assert.equal((await t.inject({ method: 'HEAD', url: '/api/v2/tokens/me', headers: bearer(token) })).statusCode, 401, 'revoked stays revoked');

    const bad = await t.inject({
      method: 'PUT',
      url: `/api/v2/oauth/clients/${made.id}`,
      headers: json(admin),
      payload: { name: 'Ops 3', authorizedGrantType: 'CODE' },
    });
    assert.deepEqual([bad.statusCode, bad.json().details[0].fieldName], [400, 'registeredRedirectUri']);
    assert.equal(
      (await t.inject({ method: 'GET', url: `/api/v2/oauth/clients/${made.id}`, headers: bearer(admin) })).json().name,
      'Ops 2',
      'a refused PUT changes nothing',
    );
  });

  test('POST .../secret returns a new secret once; the old one is refused at once, the new one works', async () => {
    assert.equal(await login(initrode.seeded.id, initrode.seeded.secret), 200, 'the old secret verified and remembered');
    const response = await t.inject({ method: 'POST', url: `/api/v2/oauth/clients/${initrode.seeded.id}/secret`, headers: bearer(admin) });
    assert.equal(response.statusCode, 200, response.body);
    const { secret, id, modifiedBy } = response.json();
    assert.equal(id, initrode.seeded.id);
    assert.ok(secret.length >= 43 && secret !== initrode.seeded.secret);
    assert.deepEqual(modifiedBy, { id: initrode.clientAdmin.id, selfUri: `/api/v2/oauth/clients/${initrode.clientAdmin.id}` });
    assert.equal(await login(initrode.seeded.id, initrode.seeded.secret), 401);
    assert.equal(await login(initrode.seeded.id, secret), 200);
    const read = await t.inject({ method: 'GET', url: `/api/v2/oauth/clients/${initrode.seeded.id}`, headers: bearer(admin) });
    assert.ok(!read.body.includes(secret));
  });

  test('DELETE removes the client and revokes its tokens at once; it is 404 from then on', async () => {
    const made = (await create({ name: 'Doomed', authorizedGrantType: 'CLIENT-CREDENTIALS' })).json();
    const token = await t.token({ id: made.id, secret: made.secret });
    assert.equal((await t.inject({ method: 'HEAD', url: '/api/v2/tokens/me', headers: bearer(token) })).statusCode, 200);
    const deleted = await t.inject({ method: 'DELETE', url: `/api/v2/oauth/clients/${made.id}`, headers: bearer(admin) });
    assert.deepEqual([deleted.statusCode, deleted.body], [204, '']);
    assert.equal((await t.inject({ method: 'HEAD', url: '/api/v2/tokens/me', headers: bearer(token) })).statusCode, 401);
    assert.equal(await login(made.id, made.secret), 401);
    const again = await t.inject({ method: 'DELETE', url: `/api/v2/oauth/clients/${made.id}`, headers: bearer(admin) });
    assert.deepEqual([again.statusCode, again.json().code], [404, 'not.found']);
  });
});

test("the OpenAPI document has the six operations under the SDK's names", async () => {
  const doc = (await t.inject({ method: 'GET', url: '/api/v2/docs/openapi.json' })).json();
  const op = (path: string, method: string) => doc.paths[path]?.[method]?.operationId;
  assert.deepEqual(
    [
      op('/api/v2/oauth/clients', 'get'),
      op('/api/v2/oauth/clients', 'post'),
      op('/api/v2/oauth/clients/{clientId}', 'get'),
      op('/api/v2/oauth/clients/{clientId}', 'put'),
      op('/api/v2/oauth/clients/{clientId}', 'delete'),
      op('/api/v2/oauth/clients/{clientId}/secret', 'post'),
    ],
    ['getOauthClients', 'postOauthClients', 'getOauthClient', 'putOauthClient', 'deleteOauthClient', 'postOauthClientSecret'],
  );
  assert.equal(doc.paths['/api/v2/oauth/clients'].post.responses['200'].content['application/json'].schema.properties.secret.type, 'string');
  assert.equal(doc.paths['/api/v2/oauth/clients/{clientId}'].get.responses['200'].content['application/json'].schema.properties.secret, undefined);
});
