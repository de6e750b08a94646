/**
 * The official Genesys SDK's PKCE exchange, unchanged, against a real tokend listening on a
 * port, for a Code Authorization client that has a secret (as Genesys gives every such client):
 * `authorizePKCEGrant` sends `client_id` and `code_verifier` and no secret (CONTRACT.md, the
 * PKCE row). The code comes from tokend's sign-in page, driven as a browser would.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import platformClient from 'purecloud-platform-client-v2';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { listenForSdk, sdkClientFor } from '../helpers/genesys-sdk.js';
import { Browser, pkcePair } from '../helpers/browser-flow.js';
import { clients, users } from '../helpers/fixture.js';

let t: TestApp;
let port: number;
before(async () => {
  t = await startTestApp();
  port = await listenForSdk(t);
});
after(() => t.close());

const sdkClient = () => sdkClientFor(port);

async function challengedCode(client: { id: string }, redirectUri: string) {
  const { verifier, challenge } = pkcePair();
  const code = await new Browser(t).code(client, redirectUri, users.alice, { code_challenge: challenge, code_challenge_method: 'S256' });
  return { code, verifier };
}

test('authorizePKCEGrant with a client that has a secret, then getTokensMe', async () => {
  const { code, verifier } = await challengedCode(clients.codeApp, clients.codeApp.redirectUri);
  const client = sdkClient();
  const auth = await client.authorizePKCEGrant(clients.codeApp.id, verifier, code, clients.codeApp.redirectUri);
  assert.equal(typeof auth.accessToken, 'string');
  const me = await new platformClient.TokensApi(client).getTokensMe();
  assert.equal(me.OAuthClient?.id, clients.codeApp.id);
  assert.deepEqual(me.authorizedScope, ['authorization', 'user-basic-info']);
});

test('authorizePKCEGrant with a public client, and a wrong verifier refused as invalid_grant', async () => {
  const pkce = await challengedCode(clients.pkceApp, clients.pkceApp.redirectUri);
  const auth = await sdkClient().authorizePKCEGrant(clients.pkceApp.id, pkce.verifier, pkce.code, clients.pkceApp.redirectUri);
  assert.equal(typeof auth.accessToken, 'string');
  const wrong = await challengedCode(clients.codeApp, clients.codeApp.redirectUri);
  await assert.rejects(
    sdkClient().authorizePKCEGrant(clients.codeApp.id, pkcePair().verifier, wrong.code, clients.codeApp.redirectUri),
    (error: { response?: { status: number; data: { error: string } } }) => {
      assert.equal(error.response?.status, 400);
      assert.equal(error.response?.data.error, 'invalid_grant');
      return true;
    },
  );
});

test('a code issued without a challenge is not redeemed by authorizePKCEGrant: the secret is needed', async () => {
  const code = await new Browser(t).code(clients.codeApp, clients.codeApp.redirectUri, users.alice);
  await assert.rejects(
    sdkClient().authorizePKCEGrant(clients.codeApp.id, pkcePair().verifier, code, clients.codeApp.redirectUri),
    (error: { response?: { status: number; data: { error: string } } }) => {
      assert.equal(error.response?.status, 401);
      assert.equal(error.response?.data.error, 'invalid_client');
      return true;
    },
  );
});
