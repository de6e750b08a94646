import assert from 'node:assert/strict';
import { access, mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { ApiClient, isApiError, isOAuthError, TokensApi } from '../../src/sdk/index.js';

// Every SDK method against a real tokend (buildApp) on a real SQLite file, listening on
// 127.0.0.1 port 0. The server is loaded by path at run time, so this file compiles and
// skips, saying so, in a tree that has no server yet.

interface App {
  listen(options: { port: number; host: string }): Promise<string>;
  close(): Promise<void>;
  server: { address(): AddressInfo | string | null };
}

const appModule = new URL('../../src/server/build-app.js', import.meta.url);
const skip = await access(appModule).then(
  () => false,
  () => 'no src/server/build-app.ts (buildApp) in this tree yet',
);
if (skip && process.env.CI) throw new Error('the SDK integration test cannot run under CI without the server');

const org = { id: '6b2f1a0e-4c1d-4e8a-9f00-0d3e5a7c1b01', name: 'SDK Org' };
const service = { id: '3f1c2b7a-9d8e-4a6b-8c5d-2e1f0a9b8c01', secret: 'service-secret' };
const passwordApp = { id: '3f1c2b7a-9d8e-4a6b-8c5d-2e1f0a9b8c02', secret: 'password-secret' };
const admin = { id: '0a9c7d52-1e2b-4f3c-8d4e-5f6a7b8c9d01', email: 'admin@sdk.example', password: 'admin-password' };
const sam = { id: '0a9c7d52-1e2b-4f3c-8d4e-5f6a7b8c9d02', email: 'sam@sdk.example', password: 'sam-password' };
const seed = {
  organizations: [
    {
      ...org,
      idleTokenTimeout: { enableIdleTokenTimeout: false, idleTokenTimeoutSeconds: 900, inactivityTimeoutUnit: 'Minutes' },
      roles: [
        { name: 'Admin', permissions: ['oauth:token:delete', 'directory:organization:admin'] },
        { name: 'Employee', permissions: [] },
      ],
      users: [
        { id: admin.id, name: 'Ada Admin', email: admin.email, password: admin.password, roles: ['Admin'] },
        { id: sam.id, name: 'Sam', email: sam.email, password: sam.password, roles: ['Employee'] },
      ],
      clients: [
        { id: service.id, name: 'SDK service', secret: service.secret, authorizedGrantType: 'CLIENT-CREDENTIALS', roles: ['Admin'] },
        { id: passwordApp.id, name: 'SDK password app', secret: passwordApp.secret, authorizedGrantType: 'PASSWORD', scope: ['authorization'] },
      ],
    },
  ],
};

let app: App | undefined;
let dir: string;
let baseUrl: string;

before(async () => {
  if (skip) return;
  dir = await mkdtemp(join(tmpdir(), 'tokend-sdk-'));
  await writeFile(join(dir, 'seed.json'), JSON.stringify(seed));
  const { buildApp } = (await import(appModule.href)) as { buildApp(config: object): Promise<App> };
  app = await buildApp({ database: join(dir, 'tokend.db'), seedFile: join(dir, 'seed.json'), logger: false });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address() as AddressInfo;
  baseUrl = `http://127.0.0.1:${address.port}`;
});

after(async () => {
  await app?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function serviceSession() {
  const client = new ApiClient({ baseUrl });
  await client.loginClientCredentialsGrant(service.id, service.secret);
  return { client, tokens: new TokensApi(client) };
}

async function userSession(user: { email: string; password: string }) {
  const client = new ApiClient({ baseUrl });
  await client.loginPasswordGrant(passwordApp.id, passwordApp.secret, user.email, user.password);
  return { client, tokens: new TokensApi(client) };
}

test('loginClientCredentialsGrant and getTokensMe', { skip }, async () => {
  const { client, tokens } = await serviceSession();
  assert.ok(client.accessToken);
  const info = await tokens.getTokensMe();
  assert.deepEqual(info.organization, org);
  assert.equal(info.OAuthClient?.id, service.id);
  assert.equal(info.OAuthClient?.authorizedGrantType, 'CLIENT-CREDENTIALS');
  assert.equal(info.dateTokenIdles, undefined);
  assert.deepEqual(await tokens.getTokensMe({ preserveIdleTTL: true }), info);
});

test('headTokensMe resolves for a valid token and throws 401 bad.credentials for another', { skip }, async () => {
  const { tokens } = await serviceSession();
  assert.equal(await tokens.headTokensMe(), undefined);
  const stranger = new ApiClient({ baseUrl });
  stranger.setAccessToken('not-a-token');
  await assert.rejects(new TokensApi(stranger).headTokensMe(), (error) => isApiError(error) && error.status === 401 && error.code === 'bad.credentials');
});

test('an unknown token is an ApiError with the contract message and a correlation id', { skip }, async () => {
  const stranger = new ApiClient({ baseUrl });
  stranger.setAccessToken('not-a-token');
  await assert.rejects(new TokensApi(stranger).getTokensMe(), (error) => {
    assert.ok(isApiError(error));
    assert.equal(error.code, 'bad.credentials');
    assert.ok(error.correlationId);
    assert.equal(error.correlationId, error.contextId);
    assert.equal(error.message, `401 bad.credentials: Invalid login credentials. (correlation id ${error.correlationId})`);
    return true;
  });
});

test('getTokensTimeout and putTokensTimeout round-trip the IdleTokenTimeout', { skip }, async () => {
  const { tokens } = await serviceSession();
  const before = await tokens.getTokensTimeout();
  assert.equal(before.idleTokenTimeoutSeconds, 900);
  assert.equal(before.enableIdleTokenTimeout, false);
  const stored = await tokens.putTokensTimeout({ body: { ...before, idleTokenTimeoutSeconds: 1800 } });
  assert.equal(stored.idleTokenTimeoutSeconds, 1800);
  assert.equal((await tokens.getTokensTimeout()).idleTokenTimeoutSeconds, 1800);
  await tokens.putTokensTimeout({ body: before });
});

test('putTokensTimeout out of range is a 400 ApiError naming the field', { skip }, async () => {
  const { tokens } = await serviceSession();
  await assert.rejects(tokens.putTokensTimeout({ body: { enableIdleTokenTimeout: true, idleTokenTimeoutSeconds: 10 } }), (error) => {
    assert.ok(isApiError(error));
    assert.equal(error.status, 400);
    assert.ok(
      error.body.details?.some((detail) => detail.fieldName?.includes('idleTokenTimeoutSeconds')),
      JSON.stringify(error.body),
    );
    return true;
  });
});

test('loginPasswordGrant, then deleteToken revokes every token of that user', { skip }, async () => {
  const user = await userSession(sam);
  await user.tokens.headTokensMe();
  const { tokens } = await serviceSession();
  assert.equal(await tokens.deleteToken(sam.id), undefined);
  await assert.rejects(user.tokens.headTokensMe(), (error) => isApiError(error) && error.status === 401);
});

test('deleteToken without the permission is a 403', { skip }, async () => {
  const user = await userSession(sam);
  await assert.rejects(user.tokens.deleteToken(admin.id), (error) => isApiError(error) && error.status === 403);
});

test('deleteTokensMe revokes a user token at once', { skip }, async () => {
  const user = await userSession(admin);
  assert.equal(await user.tokens.deleteTokensMe(), undefined);
  await assert.rejects(user.tokens.getTokensMe(), (error) => isApiError(error) && error.code === 'bad.credentials');
});

test('after deleteTokensMe a client-credentials session logs in again by itself', { skip }, async () => {
  const { client, tokens } = await serviceSession();
  const first = client.accessToken;
  await tokens.deleteTokensMe();
  const info = await tokens.getTokensMe();
  assert.equal(info.OAuthClient?.id, service.id);
  assert.notEqual(client.accessToken, first);
});

test('a wrong secret is an OAuthError invalid_client', { skip }, async () => {
  const client = new ApiClient({ baseUrl });
  await assert.rejects(client.loginClientCredentialsGrant(service.id, 'wrong'), (error) => {
    assert.ok(isOAuthError(error));
    assert.equal(error.status, 401);
    assert.equal(error.code, 'invalid_client');
    return true;
  });
});
