/**
 * The AuthorizationApi operations of issue 24 through the official Genesys JavaScript SDK,
 * unchanged, against a listening tokend: SQLite, or PostgreSQL under TOKEND_TEST_DATABASE=postgres.
 * What each answers, exactly, and the refusals an SDK caller sees (scope, permission).
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import platformClient from 'purecloud-platform-client-v2';
import { systemClock } from '../../src/core/clock.js';
import { bearer, startTestApp, type TestApp } from '../helpers/app.js';
import { listenForSdk, refusedWith, sdkClientFor } from '../helpers/genesys-sdk.js';
import { HOOLI, INITECH, people, READAPI_SEED_FILE, services } from '../helpers/readapi-fixture.js';

let t: TestApp;
let port: number;
before(async () => {
  // A real clock: the SDK computes expiry from the wall clock.
  t = await startTestApp({ clock: systemClock as never, seedFile: READAPI_SEED_FILE });
  port = await listenForSdk(t);
  // Roles that name permissions no operation enforces: each organization lists its own, never another's.
  const organization = async (id: string) => {
    const found = await t.app.tokend.directory.organization(id);
    if (!found) throw new Error(`no organization ${id}`);
    return found;
  };
  await t.app.tokend.roles.create(await organization(INITECH), {
    name: 'Queue watcher',
    permissions: ['routing:queue:view', 'routing:queue:*', 'quality:evaluation:editScore', 'oauth:client:view'],
  });
  await t.app.tokend.roles.create(await organization(HOOLI), { name: 'Analyst', permissions: ['analytics:conversationDetail:view'] });
});
after(() => t.close());

async function asService(client: { id: string; secret: string }) {
  const sdk = sdkClientFor(port);
  await sdk.loginClientCredentialsGrant(client.id, client.secret);
  return new platformClient.AuthorizationApi(sdk);
}

async function asPerson(app: { id: string; secret: string }, person: { email: string; password: string }) {
  const sdk = sdkClientFor(port);
  sdk.setAccessToken(await t.token(app, person));
  return new platformClient.AuthorizationApi(sdk);
}

const PRODUCTS = { entities: [{ id: 'collaborateFree' }], pageSize: 1, pageNumber: 1, total: 1, pageCount: 1 };

test('getAuthorizationProducts: the fixed list, every product in one page, for any token of any organization; no permission needed', async () => {
  // The bare service's only role has no permission: the SDK reference requires none.
  assert.deepEqual(await (await asService(services.bare)).getAuthorizationProducts(), PRODUCTS);
  assert.deepEqual(await (await asService(services.hooli)).getAuthorizationProducts(), PRODUCTS);
  assert.deepEqual(await (await asPerson(services.readonlyApp, people.ned)).getAuthorizationProducts(), PRODUCTS);
  assert.deepEqual(await (await asPerson(services.fullApp, people.ned)).getAuthorizationProducts(), PRODUCTS);
});

test('getAuthorizationProducts ignores paging parameters (the SDK method takes none)', async () => {
  const token = await t.token(services.bare);
  for (const query of ['pageSize=0', 'pageSize=1000&pageNumber=9', 'pageNumber=-1', 'pageSize=abc']) {
    const response = await t.inject({ method: 'GET', url: `/api/v2/authorization/products?${query}`, headers: bearer(token) });
    assert.equal(response.statusCode, 200, query);
    assert.deepEqual(response.json(), PRODUCTS, query);
  }
});

test('getAuthorizationProducts refuses a user token without an authorization scope', async () => {
  const basic = await asPerson(services.basicApp, people.ned);
  await assert.rejects(basic.getAuthorizationProducts(), refusedWith(403, 'app.not.authorized.for.scope', /authorization$/));
});

const permission = (domain: string, entityType: string, action: string, label: string) => ({
  domain,
  entityType,
  action,
  label,
  allowsConditions: false,
  divisionAware: false,
});

/** What tokend enforces (the table of operations), the same in every organization. */
const ENFORCED = {
  authorization: {
    id: 'authorization',
    domain: 'authorization',
    permissionMap: {
      division: [
        permission('authorization', 'division', 'add', 'Add'),
        permission('authorization', 'division', 'delete', 'Delete'),
        permission('authorization', 'division', 'edit', 'Edit'),
      ],
      grant: [
        permission('authorization', 'grant', 'add', 'Add'),
        permission('authorization', 'grant', 'delete', 'Delete'),
        permission('authorization', 'grant', 'view', 'View'),
      ],
      role: [
        permission('authorization', 'role', 'add', 'Add'),
        permission('authorization', 'role', 'delete', 'Delete'),
        permission('authorization', 'role', 'edit', 'Edit'),
        permission('authorization', 'role', 'view', 'View'),
      ],
    },
  },
  directory: {
    id: 'directory',
    domain: 'directory',
    permissionMap: {
      group: [
        permission('directory', 'group', 'add', 'Add'),
        permission('directory', 'group', 'delete', 'Delete'),
        permission('directory', 'group', 'edit', 'Edit'),
      ],
      organization: [permission('directory', 'organization', 'admin', 'Admin')],
      user: [
        permission('directory', 'user', 'add', 'Add'),
        permission('directory', 'user', 'delete', 'Delete'),
        permission('directory', 'user', 'edit', 'Edit'),
        permission('directory', 'user', 'setPassword', 'Set Password'),
        permission('directory', 'user', 'view', 'View'),
      ],
    },
  },
  oauth: {
    id: 'oauth',
    domain: 'oauth',
    permissionMap: {
      client: [
        permission('oauth', 'client', 'add', 'Add'),
        permission('oauth', 'client', 'delete', 'Delete'),
        permission('oauth', 'client', 'edit', 'Edit'),
        permission('oauth', 'client', 'view', 'View'),
      ],
      token: [permission('oauth', 'token', 'delete', 'Delete')],
    },
  },
};
const QUALITY = { id: 'quality', domain: 'quality', permissionMap: { evaluation: [permission('quality', 'evaluation', 'editScore', 'Edit Score')] } };
const ROUTING = { id: 'routing', domain: 'routing', permissionMap: { queue: [permission('routing', 'queue', 'view', 'View')] } };
// Enforced by the OAuth client usage operations (the SDK reference's oauth:client:view or usage:client:view).
const USAGE = { id: 'usage', domain: 'usage', permissionMap: { client: [permission('usage', 'client', 'view', 'View')] } };
// Enforced by the identity provider operations (IdentityProviderApi's sso:provider:*).
const SSO = {
  id: 'sso',
  domain: 'sso',
  permissionMap: {
    provider: [
      permission('sso', 'provider', 'add', 'Add'),
      permission('sso', 'provider', 'delete', 'Delete'),
      permission('sso', 'provider', 'edit', 'Edit'),
      permission('sso', 'provider', 'view', 'View'),
    ],
  },
};
const PATH = '/api/v2/authorization/permissions';

test("getAuthorizationPermissions (the JS SDK README's first call): what tokend enforces and what the organization's roles name, by domain", async () => {
  // The README logs in with client credentials and calls getAuthorizationPermissions() with no argument; the bare service holds no permission.
  const initech = await (await asService(services.bare)).getAuthorizationPermissions();
  assert.deepEqual(initech, {
    entities: [ENFORCED.authorization, ENFORCED.directory, ENFORCED.oauth, QUALITY, ROUTING, SSO, USAGE],
    pageSize: 25,
    pageNumber: 1,
    total: 7,
    pageCount: 1,
    firstUri: `${PATH}?pageSize=25&pageNumber=1`,
    selfUri: `${PATH}?pageSize=25&pageNumber=1`,
    lastUri: `${PATH}?pageSize=25&pageNumber=1`,
  });
  const hooli = await (await asService(services.hooli)).getAuthorizationPermissions();
  assert.deepEqual(hooli.entities, [
    { id: 'analytics', domain: 'analytics', permissionMap: { conversationDetail: [permission('analytics', 'conversationDetail', 'view', 'View')] } },
    ENFORCED.authorization,
    ENFORCED.directory,
    ENFORCED.oauth,
    SSO,
    USAGE,
  ]);
  assert.deepEqual(
    await (await asPerson(services.readonlyApp, people.ned)).getAuthorizationPermissions(),
    initech,
    'a person with no permission, by authorization:readonly',
  );
});

test('getAuthorizationPermissions pages by domain: pageSize 1 to 500, default 25; the links carry the query', async () => {
  const api = await asService(services.roles);
  const second = await api.getAuthorizationPermissions({ pageSize: 2, pageNumber: 2 });
  assert.deepEqual(second, {
    entities: [ENFORCED.oauth, QUALITY],
    pageSize: 2,
    pageNumber: 2,
    total: 7,
    pageCount: 4,
    firstUri: `${PATH}?pageSize=2&pageNumber=1`,
    selfUri: `${PATH}?pageSize=2&pageNumber=2`,
    lastUri: `${PATH}?pageSize=2&pageNumber=4`,
    nextUri: `${PATH}?pageSize=2&pageNumber=3`,
    previousUri: `${PATH}?pageSize=2&pageNumber=1`,
  });
  assert.deepEqual((await api.getAuthorizationPermissions({ pageSize: 500, pageNumber: 2 })).entities, []);
  for (const pageSize of [0, 501]) {
    await assert.rejects(api.getAuthorizationPermissions({ pageSize }), refusedWith(400, 'invalid.query.param.value', /pageSize/));
  }
  await assert.rejects(api.getAuthorizationPermissions({ pageNumber: 0 }), refusedWith(400, 'invalid.query.param.value', /pageNumber/));

  const byDomain = await api.getAuthorizationPermissions({ queryType: 'domain', query: 'routing,oauth,nosuchdomain' });
  assert.deepEqual(byDomain.entities, [ENFORCED.oauth, ROUTING]);
  assert.equal(byDomain.selfUri, `${PATH}?pageSize=25&pageNumber=1&queryType=domain&query=routing%2Coauth%2Cnosuchdomain`);
  const byPermission = await api.getAuthorizationPermissions({ queryType: 'permission', query: 'oauth:token:*,routing:queue:view,directory:user:view' });
  assert.deepEqual(byPermission.entities, [
    { id: 'directory', domain: 'directory', permissionMap: { user: [permission('directory', 'user', 'view', 'View')] } },
    { id: 'oauth', domain: 'oauth', permissionMap: { token: [permission('oauth', 'token', 'delete', 'Delete')] } },
    ROUTING,
  ]);
  assert.equal((await api.getAuthorizationPermissions({ queryType: 'domain' })).total, 7, 'a type without a query keeps every domain');
});

test('getAuthorizationPermissions refusals: a query without its type, a bad type or permission, a user token without an authorization scope', async () => {
  const api = await asService(services.bare);
  await assert.rejects(api.getAuthorizationPermissions({ query: 'oauth' }), refusedWith(400, 'invalid.query.param.value', /queryType/));
  await assert.rejects(api.getAuthorizationPermissions({ queryType: 'role', query: 'oauth' }), refusedWith(400, 'invalid.query.param.value', /queryType/));
  await assert.rejects(
    api.getAuthorizationPermissions({ queryType: 'permission', query: 'oauth' }),
    refusedWith(400, 'invalid.query.param.value', /parameter query: "oauth" is not a permission/),
  );
  const basic = await asPerson(services.basicApp, people.rita);
  await assert.rejects(basic.getAuthorizationPermissions(), refusedWith(403, 'app.not.authorized.for.scope', /authorization$/));
});
