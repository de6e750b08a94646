/**
 * A real browser signs in through tokend with the official Genesys SDK's browser build
 * (issue 4, "What must be shown"): headless Chromium loads a test app from its own origin, the
 * app calls `loginPKCEGrant` and `loginImplicitGrant` with `setGateway` pointed at tokend, a
 * person signs in on tokend's page (and allows the PKCE app on the consent page; the implicit
 * app is pre-authorized), the app calls `getTokensMe`, signs out with the SDK's `logout`, and its
 * token then gets 401. Screenshots of the sign-in, consent and account pages go to test-output/. Needs Chromium at /usr/bin/chromium (CI installs it; elsewhere the test skips).
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { systemClock } from '../../src/core/clock.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { clients, users } from '../helpers/fixture.js';
import { listenOnLoopback } from '../helpers/socket-request.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-quic',
  '--no-first-run',
  '--disable-component-update',
  '--disable-sync',
];
const OUTPUT = fileURLToPath(new URL('../../../test-output/', import.meta.url));

function unavailable(): string | false {
  if (existsSync(CHROMIUM)) return false;
  if (process.env.CI === 'true') throw new Error(`no Chromium at ${CHROMIUM}; CI must run the browser test (.ci/run installs it)`);
  return `no Chromium at ${CHROMIUM}`;
}
const skip = unavailable();

/** The test app: one page per flow, loading the SDK's browser bundle as Genesys documents it. */
function appPage(tokendPort: number): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Test app</title><script src="/sdk.js"></script></head>
<body><h1>Test app</h1>
<script>
const platformClient = require('platformClient');
const client = platformClient.ApiClient.instance;
client.setGateway({ host: '127.0.0.1', protocol: 'http', port: ${tokendPort} });
window.platformClient = platformClient;
window.client = client;
const flow = location.pathname.slice(1);
window.outcome = (async () => {
  if (flow === 'signed-out') return { signedOut: true };
  const auth = flow === 'pkce'
    ? await client.loginPKCEGrant(${JSON.stringify(clients.pkceApp.id)}, location.origin + '/pkce', { state: 'pkce-state' })
    : await client.loginImplicitGrant(${JSON.stringify(clients.implicitApp.id)}, location.origin + '/implicit', { state: 'implicit-state' });
  const me = await new platformClient.TokensApi().getTokensMe();
  return { accessToken: auth.accessToken, state: auth.state, me };
})().then((ok) => ({ ok }), (error) => ({ error: String((error && error.message) || error) }));
</script></body></html>`;
}

let t: TestApp;
let tokend: string;
let app: Server;
let appOrigin: string;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const cspViolations: string[] = [];

before(async () => {
  if (skip) return;
  // A real clock: the SDK and the browser compute expiry from the wall clock.
  t = await startTestApp({ clock: systemClock as never });
  const tokendPort = await listenOnLoopback(t);
  tokend = `http://127.0.0.1:${tokendPort}`;
  const bundle = await readFile(createRequire(import.meta.url).resolve('purecloud-platform-client-v2/dist/web-cjs/purecloud-platform-client-v2.min.js'));
  app = createServer((request, response) => {
    const path = (request.url ?? '/').split(/[?#]/)[0];
    if (path === '/sdk.js') response.writeHead(200, { 'content-type': 'text/javascript' }).end(bundle);
    else if (path === '/pkce' || path === '/implicit' || path === '/signed-out')
      response.writeHead(200, { 'content-type': 'text/html' }).end(appPage(tokendPort));
    else response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
  appOrigin = `http://127.0.0.1:${(app.address() as AddressInfo).port}`;
  await mkdir(OUTPUT, { recursive: true });
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  context = await browser.newContext();
  page = await context.newPage();
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) cspViolations.push(message.text());
  });
});

after(async () => {
  await browser?.close();
  await new Promise((resolve) => (app ? app.close(resolve) : resolve(undefined)));
  await t?.close();
});

interface Outcome {
  ok?: { accessToken: string; state?: string; me: { authorizedScope: string[]; OAuthClient: { id: string; name: string }; organization: { name: string } } };
  error?: string;
}
declare const window: {
  outcome: Promise<Outcome>;
  client: { logout(uri: string): void; setAccessToken(token: string): void };
  platformClient: { TokensApi: new () => { getTokensMe(): Promise<unknown> } };
};

const onTokend = (path: string) => (url: URL) => url.origin === tokend && url.pathname === path;
const onApp = (path: string) => (url: URL) => url.origin === appOrigin && url.pathname === path;

/** Fills in and submits tokend's sign-in form, as a person would. */
async function signIn(user: { email: string; password: string }, screenshot?: string): Promise<void> {
  await page.waitForURL(onTokend('/oauth/authorize'));
  await page.getByLabel('Email').fill(user.email);
  await page.getByLabel('Password', { exact: true }).fill(user.password);
  if (screenshot) await page.screenshot({ path: `${OUTPUT}${screenshot}`, fullPage: true });
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** The consent page that follows the sign-in: the app and its scopes are named; the person presses Allow. */
async function allow(appName: string, screenshot?: string): Promise<void> {
  await page.waitForURL(onTokend('/login'));
  assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), `Allow ${appName}?`);
  assert.equal(await page.getByRole('listitem').filter({ hasText: 'authorization:readonly' }).count(), 1);
  if (screenshot) await page.screenshot({ path: `${OUTPUT}${screenshot}`, fullPage: true });
  await page.getByRole('button', { name: 'Allow' }).click();
}

/** Signs out with the SDK's logout, then shows that the old token gets 401 from the page. */
async function signOutAndCheck(accessToken: string, clientId: string): Promise<void> {
  await page.evaluate((uri) => {
    setTimeout(() => window.client.logout(uri), 0);
  }, `${appOrigin}/signed-out`);
  await page.waitForURL(onApp('/signed-out'));
  assert.ok(new URL(page.url()).search === '', 'came back to the registered URI as is');
  const after = await page.evaluate(async (token) => {
    window.client.setAccessToken(token);
    try {
      await new window.platformClient.TokensApi().getTokensMe();
      return { status: 200, code: '' };
    } catch (error) {
      const e = error as { status: number; code: string };
      return { status: e.status, code: e.code };
    }
  }, accessToken);
  assert.deepEqual(after, { status: 401, code: 'bad.credentials' }, `the ${clientId} token ends at sign-out`);
}

test('PKCE flow with the Genesys SDK in Chromium: sign in, getTokensMe, account page, sign out, 401', { skip, timeout: 90_000 }, async () => {
  await page.goto(`${appOrigin}/pkce`);
  await signIn(users.alice, 'sign-in-page.png');
  // The PKCE app is a third party's: Alice is asked once, and allows it.
  await allow('PKCE app', 'consent-page.png');
  await page.waitForURL(onApp('/pkce'));
  const outcome = await page.evaluate(() => window.outcome);
  assert.equal(outcome.error, undefined);
  const ok = outcome.ok as NonNullable<Outcome['ok']>;
  assert.equal(ok.state, 'pkce-state');
  assert.equal(ok.me.OAuthClient.id, clients.pkceApp.id);
  assert.equal(ok.me.organization.name, 'Acme');
  assert.deepEqual(ok.me.authorizedScope, ['authorization:readonly', 'user-basic-info']);

  // The account page, in another tab of the same browser: the sign-in session carries over.
  const account = await context.newPage();
  await account.goto(`${tokend}/account`);
  assert.equal(await account.getByRole('heading', { level: 1 }).textContent(), 'Your account');
  const signIns = account.getByRole('region', { name: 'Where you are signed in' });
  assert.equal(await signIns.getByRole('heading', { name: 'PKCE app', exact: true }).count(), 1);
  assert.equal(
    await signIns.getByRole('button', { name: /^Revoke: PKCE app, signed in .* in this browser$/ }).count(),
    1,
    'its access and refresh tokens: one sign-in',
  );
  const apps = account.getByRole('region', { name: 'Apps you allowed' });
  assert.equal(await apps.getByText('PKCE app', { exact: true }).count(), 1, 'the app she allowed');
  assert.equal(await apps.getByRole('button', { name: 'Remove access of PKCE app' }).count(), 1);
  await account.screenshot({ path: `${OUTPUT}account-page.png`, fullPage: true });
  await account.close();

  await signOutAndCheck(ok.accessToken, 'PKCE');
});

test('implicit flow with the Genesys SDK in Chromium: sign in, getTokensMe, sign out, 401', { skip, timeout: 90_000 }, async () => {
  // A first-party app that a seed or the command line marked pre-authorized: no consent page.
  const implicitApp = await t.app.tokend.store.findClient(clients.implicitApp.id);
  assert.ok(implicitApp);
  await t.app.tokend.store.updateClient({ ...implicitApp, preAuthorized: true });
  await page.goto(`${appOrigin}/implicit`);
  await signIn(users.bob);
  await page.waitForURL(onApp('/implicit'));
  const outcome = await page.evaluate(() => window.outcome);
  assert.equal(outcome.error, undefined);
  const ok = outcome.ok as NonNullable<Outcome['ok']>;
  assert.equal(ok.state, 'implicit-state');
  assert.equal(ok.me.OAuthClient.id, clients.implicitApp.id);
  assert.deepEqual(ok.me.authorizedScope, ['authorization', 'user-basic-info']);
  await signOutAndCheck(ok.accessToken, 'implicit');
});

test('the sign-in page works without JavaScript and breaks no CSP rule', { skip, timeout: 60_000 }, async () => {
  const noScript = await browser.newContext({ javaScriptEnabled: false });
  try {
    const plain = await noScript.newPage();
    await plain.goto(`${tokend}/login`);
    await plain.getByLabel('Organization').fill('Acme');
    await plain.getByLabel('Email').fill(users.carol.email);
    await plain.getByLabel('Password').fill(users.carol.password);
    await plain.getByRole('button', { name: 'Sign in' }).click();
    await plain.waitForURL(onTokend('/account'));
    assert.match((await plain.textContent('main')) ?? '', /Signed in as Carol Both/);
  } finally {
    await noScript.close();
  }
  assert.deepEqual(cspViolations, []);
});
