/**
 * One admin core, three doors (issue 14): the seed file, the command line and the OAuth clients
 * API give the same client for the same action, refuse the same broken rule, and end the same
 * things when a client is disabled.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { applySeedText } from '../../src/core/seed/apply.js';
import type { Client } from '../../src/core/models.js';
import { hashToken } from '../../src/core/secrets.js';
import { basic, bearer, otherNodeChange, startTestApp, type TestApp } from '../helpers/app.js';
import { CLIENTS_SEED, initrode } from '../helpers/clients-fixture.js';
import { cliHome } from './helpers.js';

let t: TestApp;
let admin: string;
const cli = cliHome();
before(async () => {
  t = await startTestApp({ seedFile: CLIENTS_SEED });
  admin = await t.token(initrode.clientAdmin);
});
after(async () => {
  await t.close();
  cli.dispose();
});

const viaCli = (args: string[]) => cli.run([...args, '--database', t.database]);
const viaApi = (method: 'POST' | 'PUT', url: string, payload: Record<string, unknown>) =>
  t.inject({ method, url, headers: { ...bearer(admin), 'content-type': 'application/json' }, payload });
// The seed names the role it refers to exactly as the fixture defines it (a seed resolves role names within its own file).
const TOKEN_ADMIN_ROLE = { id: '33333333-0000-4000-8000-00000000a002', name: 'Token admin', permissions: ['oauth:token:delete'] };
const viaSeed = (clients: Array<Record<string, unknown>>) =>
  applySeedText(t.app.tokend.store, t.clock, JSON.stringify({ organizations: [{ id: initrode.org, name: 'Initrode', roles: [TOKEN_ADMIN_ROLE], clients }] }));

/** What a door decides about a client: everything but its identity, secret, dates and author. */
function decided(client: Client | null | undefined) {
  assert.ok(client, 'the client exists');
  const { id: _id, name: _name, secretHash, dateCreated: _c, dateModified: _m, createdBy: _b, modifiedBy: _mb, ...rest } = client;
  return { ...rest, hasSecret: secretHash !== null };
}

async function clientNamed(name: string): Promise<Client | null> {
  return (await t.app.tokend.store.listClients(initrode.org)).find((c) => c.name === name) ?? null;
}

describe('the same action through the three doors', () => {
  test('creating a CODE client: the seed, `tokend clients create` and POST /api/v2/oauth/clients store the same client', async () => {
    const spec = {
      authorizedGrantType: 'CODE',
      scope: ['oauth', 'organization:readonly'],
      registeredRedirectUri: ['https://app.initrode.test/cb'],
      accessTokenValiditySeconds: 3600,
    };
    await viaSeed([{ name: 'Door seed', secret: 'door-seed-secret', ...spec }]);
    const run = await viaCli([
      'clients',
      'create',
      '--org',
      initrode.org,
      '--name',
      'Door cli',
      '--grant-type',
      'CODE',
      '--scope',
      'oauth,organization:readonly',
      '--redirect-uri',
      'https://app.initrode.test/cb',
      '--access-token-validity',
      '3600',
    ]);
    assert.equal(run.code, 0, run.stderr);
    const api = await viaApi('POST', '/api/v2/oauth/clients', { name: 'Door api', ...spec });
    assert.equal(api.statusCode, 200, api.body);
    const [seeded, byCli, byApi] = await Promise.all(['Door seed', 'Door cli', 'Door api'].map(clientNamed));
    assert.deepEqual(decided(byCli), decided(seeded));
    assert.deepEqual(decided(byApi), decided(seeded));
    assert.equal(decided(seeded).state, 'active');
  });

  test('a CLIENT-CREDENTIALS client with a role: the same role in the home division through each door', async () => {
    await viaSeed([{ name: 'Role seed', secret: 'role-seed-secret', authorizedGrantType: 'CLIENT-CREDENTIALS', roles: ['Token admin'] }]);
    const run = await viaCli(['clients', 'create', '--org', initrode.org, '--name', 'Role cli', '--grant-type', 'CLIENT-CREDENTIALS', '--role', 'Token admin']);
    assert.equal(run.code, 0, run.stderr);
    const division = (await clientNamed('Role seed'))?.roleDivisions[0]?.divisionId;
    const api = await viaApi('POST', '/api/v2/oauth/clients', {
      name: 'Role api',
      authorizedGrantType: 'CLIENT-CREDENTIALS',
      roleDivisions: [{ roleId: initrode.roles.tokenAdmin, divisionId: division }],
    });
    assert.equal(api.statusCode, 200, api.body);
    const [seeded, byCli, byApi] = await Promise.all(['Role seed', 'Role cli', 'Role api'].map(clientNamed));
    assert.deepEqual(decided(seeded).roleDivisions, [{ roleId: initrode.roles.tokenAdmin, divisionId: division }]);
    assert.deepEqual(decided(byCli), decided(seeded));
    assert.deepEqual(decided(byApi), decided(seeded));
  });

  test('one broken rule (a CODE client without a redirect URI) is refused by every door, and nothing is stored', async () => {
    await assert.rejects(viaSeed([{ name: 'Broken seed', secret: 'x-secret-x', authorizedGrantType: 'CODE' }]), /registeredRedirectUri/);
    const run = await viaCli(['clients', 'create', '--org', initrode.org, '--name', 'Broken cli', '--grant-type', 'CODE']);
    assert.notEqual(run.code, 0);
    assert.match(run.stderr, /redirect/i);
    const api = await viaApi('POST', '/api/v2/oauth/clients', { name: 'Broken api', authorizedGrantType: 'CODE' });
    assert.equal(api.statusCode, 400);
    assert.equal(api.json().code, 'invalid.value');
    assert.equal(api.json().details[0].fieldName, 'registeredRedirectUri');
    for (const name of ['Broken seed', 'Broken cli', 'Broken api']) assert.equal(await clientNamed(name), null, name);
  });

  test('redirect URIs (CONTRACT.md): each door refuses what runs script, reads local data, hides a host or takes a fragment, naming the field; all three take the same good ones', async () => {
    const bad: Array<[string, RegExp]> = [
      ['javascript:alert(document.cookie)', /javascript: scheme/],
      ['JavaScript://%0aalert(1)', /javascript: scheme/],
      ['data:text/html,<script>alert(1)</script>', /data: scheme/],
      ['file:///etc/passwd', /file: scheme/],
      ['vbscript:msgbox(1)', /vbscript: scheme/],
      ['https://app.initrode.test/cb#steal', /fragment/],
      ['https://app.initrode.test/cb#', /fragment/],
      ['https://app.initrode.test@evil.test/cb', /userinfo/],
      ['https://user:pw@app.initrode.test/cb', /userinfo/],
      ['http://app.initrode.test/cb', /must use https/],
      ['myapp:/callback', /private-use scheme/],
      ['java\tscript:alert(1)', /control characters/],
      ['https://app.initrode.test/a b', /control characters/],
    ];
    for (const [uri, problem] of bad) {
      await assert.rejects(
        viaSeed([{ name: 'Bad seed', authorizedGrantType: 'CODE', registeredRedirectUri: ['https://app.initrode.test/ok', uri] }]),
        (error: Error) => error.message.startsWith('organizations[0].clients[0].registeredRedirectUri[1]: redirect URI ') && problem.test(error.message),
        uri,
      );
      const run = await viaCli(['clients', 'create', '--org', initrode.org, '--name', 'Bad cli', '--grant-type', 'TOKEN', '--redirect-uri', uri]);
      assert.notEqual(run.code, 0, uri);
      assert.match(run.stderr, new RegExp(`^tokend: --redirect-uri .*${problem.source}`), uri);
      const api = await viaApi('POST', '/api/v2/oauth/clients', { name: 'Bad api', authorizedGrantType: 'CODE', registeredRedirectUri: [uri] });
      assert.equal(api.statusCode, 400, uri);
      assert.equal(api.json().code, 'invalid.value', uri);
      assert.deepEqual(api.json().details, [{ errorCode: 'invalid.value', fieldName: 'registeredRedirectUri[0]' }], uri);
      assert.match(api.json().message, problem, uri);
    }
    for (const name of ['Bad seed', 'Bad cli', 'Bad api']) assert.equal(await clientNamed(name), null, name);
    // A change is judged like a creation: PUT and `clients update` refuse too.
    const good = [
      'https://app.initrode.test/cb',
      'http://127.0.0.1/cb',
      'http://[::1]:8080/cb',
      'http://localhost/cb',
      'com.initrode.app:/oauth',
      'com.initrode.app://cb',
    ];
    const created = await viaApi('POST', '/api/v2/oauth/clients', { name: 'Good api', authorizedGrantType: 'CODE', registeredRedirectUri: good });
    assert.equal(created.statusCode, 200, created.body);
    const put = await viaApi('PUT', `/api/v2/oauth/clients/${created.json().id}`, {
      name: 'Good api',
      authorizedGrantType: 'CODE',
      registeredRedirectUri: ['javascript:alert(1)'],
    });
    assert.equal(put.statusCode, 400);
    const update = await viaCli(['clients', 'update', created.json().id, '--redirect-uri', 'https://a.test/cb#x']);
    assert.notEqual(update.code, 0);
    assert.deepEqual((await clientNamed('Good api'))?.registeredRedirectUri, good, 'nothing changed');
    await viaSeed([{ name: 'Good seed', authorizedGrantType: 'CODE', registeredRedirectUri: good }]);
    const run = await viaCli(['clients', 'create', '--org', initrode.org, '--name', 'Good cli', '--grant-type', 'CODE', '--redirect-uri', good.join(',')]);
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(decided(await clientNamed('Good seed')).registeredRedirectUri, good);
    assert.deepEqual(decided(await clientNamed('Good cli')), decided(await clientNamed('Good api')));
  });

  test('a description through every door; pre-authorized through the seed and the command line only, and for browser apps only', async () => {
    const spec = { authorizedGrantType: 'CODE', registeredRedirectUri: ['https://app.initrode.test/cb'] };
    await viaSeed([{ name: 'Described seed', secret: 'described-seed-secret', description: 'Our own portal', preAuthorized: true, ...spec }]);
    const run = await viaCli([
      'clients',
      'create',
      '--org',
      initrode.org,
      '--name',
      'Described cli',
      '--grant-type',
      'CODE',
      '--redirect-uri',
      'https://app.initrode.test/cb',
      '--description',
      'Our own portal',
      '--pre-authorized',
    ]);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(JSON.parse(run.stdout).preAuthorized, true);
    assert.equal(JSON.parse(run.stdout).description, 'Our own portal');
    const [seeded, byCli] = await Promise.all(['Described seed', 'Described cli'].map(clientNamed));
    assert.deepEqual(decided(byCli), decided(seeded));
    assert.deepEqual([seeded?.description, seeded?.preAuthorized], ['Our own portal', true]);
    const api = await viaApi('POST', '/api/v2/oauth/clients', { name: 'Described api', description: 'Our own portal', ...spec });
    assert.equal(api.statusCode, 200, api.body);
    const { preAuthorized: _flag, ...notPreAuthorized } = decided(seeded);
    assert.deepEqual(decided(await clientNamed('Described api')), notPreAuthorized);
    const refused = await viaApi('POST', '/api/v2/oauth/clients', { name: 'Pre api', preAuthorized: true, ...spec });
    assert.equal(refused.statusCode, 400);
    const off = await viaCli(['clients', 'update', byCli?.id as string, '--pre-authorized', 'false']);
    assert.equal(off.code, 0, off.stderr);
    assert.equal((await clientNamed('Described cli'))?.preAuthorized, undefined);
    const service = await viaCli(['clients', 'create', '--org', initrode.org, '--name', 'Pre svc', '--grant-type', 'CLIENT-CREDENTIALS', '--pre-authorized']);
    assert.notEqual(service.code, 0);
    assert.match(service.stderr, /^tokend: --pre-authorized applies to CODE and TOKEN clients only/);
    await assert.rejects(
      viaSeed([{ name: 'Pre svc', secret: 'pre-svc-secret', authorizedGrantType: 'PASSWORD', preAuthorized: true }]),
      /organizations\[0\]\.clients\[0\]\.preAuthorized: preAuthorized applies to CODE and TOKEN clients only/,
    );
  });

  test('disabling through the command line and through PUT ends the same things: the tokens, for good', async () => {
    const doors: Array<[string, (client: Client) => Promise<void>]> = [
      ['cli', async (client) => assert.equal((await viaCli(['clients', 'disable', client.id])).code, 0)],
      [
        'api',
        async (client) =>
          assert.equal(
            (
              await viaApi('PUT', `/api/v2/oauth/clients/${client.id}`, {
                name: client.name,
                authorizedGrantType: client.authorizedGrantType,
                roleDivisions: client.roleDivisions,
                state: 'disabled',
              })
            ).statusCode,
            200,
          ),
      ],
    ];
    for (const [door, disable] of doors) {
      const created = await viaApi('POST', '/api/v2/oauth/clients', { name: `Disable ${door}`, authorizedGrantType: 'CLIENT-CREDENTIALS' });
      assert.equal(created.statusCode, 200, created.body);
      const { id, secret } = created.json() as { id: string; secret: string };
      const token = await t.token({ id, secret });
      await disable((await t.app.tokend.store.findClient(id)) as Client);
      await otherNodeChange();
      const me = await t.inject({ method: 'GET', url: '/api/v2/tokens/me', headers: bearer(token) });
      assert.equal(me.statusCode, 401, `${door}: the token is refused`);
      assert.notEqual((await t.app.tokend.store.findTokenByHash(hashToken(token)))?.revokedAt ?? null, null, `${door}: revoked in the store`);
      const login = await t.inject({
        method: 'POST',
        url: '/oauth/token',
        headers: { authorization: basic(id, secret), 'content-type': 'application/x-www-form-urlencoded' },
        payload: 'grant_type=client_credentials',
      });
      assert.equal(login.statusCode, 400, `${door}: no new token`);
      assert.equal(login.json().error, 'unauthorized_client');
    }
  });

  test('changing a client through `tokend clients update` and PUT stores the same client', async () => {
    const made = await Promise.all(
      ['Update cli', 'Update api'].map(async (name) => {
        const created = await viaApi('POST', '/api/v2/oauth/clients', {
          name,
          authorizedGrantType: 'CODE',
          registeredRedirectUri: ['https://app.initrode.test/cb'],
        });
        assert.equal(created.statusCode, 200, created.body);
        return (created.json() as { id: string }).id;
      }),
    );
    const change = {
      scope: ['oauth'],
      registeredRedirectUri: ['https://app.initrode.test/cb', 'https://app.initrode.test/cb2'],
      accessTokenValiditySeconds: 7200,
    };
    const run = await viaCli([
      'clients',
      'update',
      made[0] as string,
      '--scope',
      'oauth',
      '--redirect-uri',
      change.registeredRedirectUri.join(','),
      '--access-token-validity',
      '7200',
    ]);
    assert.equal(run.code, 0, run.stderr);
    const api = await viaApi('PUT', `/api/v2/oauth/clients/${made[1]}`, { name: 'Update api', authorizedGrantType: 'CODE', ...change });
    assert.equal(api.statusCode, 200, api.body);
    const [byCli, byApi] = await Promise.all(['Update cli', 'Update api'].map(clientNamed));
    assert.deepEqual(decided(byCli), decided(byApi));
    assert.deepEqual(decided(byCli).registeredRedirectUri, change.registeredRedirectUri);
  });

  test('deleting through `tokend clients delete` and DELETE ends the same things, and a seed that does not change the client does not bring it back', async () => {
    const seeded = { name: 'Delete seeded', secret: 'delete-seeded-secret', authorizedGrantType: 'CLIENT-CREDENTIALS' };
    await viaSeed([seeded, { ...seeded, name: 'Delete seeded 2', secret: 'delete-seeded-2-secret' }]);
    const doors: Array<[string, string, (id: string) => Promise<void>]> = [
      ['cli', 'Delete seeded', async (id) => assert.equal((await viaCli(['clients', 'delete', id])).code, 0)],
      [
        'api',
        'Delete seeded 2',
        async (id) => assert.equal((await t.inject({ method: 'DELETE', url: `/api/v2/oauth/clients/${id}`, headers: bearer(admin) })).statusCode, 204),
      ],
    ];
    for (const [door, name, remove] of doors) {
      const client = (await clientNamed(name)) as Client;
      const token = await t.token({ id: client.id, secret: name === 'Delete seeded' ? seeded.secret : 'delete-seeded-2-secret' });
      await remove(client.id);
      await otherNodeChange();
      assert.equal((await t.inject({ method: 'GET', url: '/api/v2/tokens/me', headers: bearer(token) })).statusCode, 401, `${door}: the token is refused`);
      assert.equal(await t.app.tokend.store.isClientDeleted(client.id), true, `${door}: tombstoned`);
    }
    await viaSeed([seeded, { ...seeded, name: 'Delete seeded 2', secret: 'delete-seeded-2-secret' }]);
    assert.equal(await clientNamed('Delete seeded'), null);
    assert.equal(await clientNamed('Delete seeded 2'), null);
  });
});
