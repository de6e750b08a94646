import assert from 'node:assert/strict';
import { access, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { type FakeTokend, startFakeTokend } from './helpers/fake-tokend.js';
import { formOf } from './helpers/server.js';

// Proves that the SDK runs unchanged in a browser: the bundle from
// scripts/build-sdk-bundle.mjs, minified, loaded as a module in headless Chromium, logs
// in, calls the API, renews its session and computes PKCE with the browser's own fetch
// and Web Crypto. Needs the devDependencies esbuild and playwright-core, and Chromium
// at /usr/bin/chromium (or CHROMIUM_PATH); skipped, saying which is missing, without them.

interface Page {
  goto(url: string): Promise<unknown>;
  waitForFunction(expression: string): Promise<unknown>;
  evaluate<R, A>(fn: (arg: A) => Promise<R>, arg: A): Promise<R>;
}
interface Browser {
  newPage(): Promise<Page>;
  close(): Promise<void>;
}
interface Playwright {
  chromium: { launch(options: { executablePath: string; args: string[] }): Promise<Browser> };
}

const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const root = new URL('../../../', import.meta.url);

async function load<T>(specifier: string): Promise<T | undefined> {
  try {
    return (await import(specifier)) as T;
  } catch {
    return undefined;
  }
}

async function missingTools(): Promise<string | undefined> {
  if ((await load('esbuild')) === undefined) return 'esbuild is not installed';
  if ((await load('playwright-core')) === undefined) return 'playwright-core is not installed';
  try {
    await access(chromiumPath);
  } catch {
    return `no Chromium at ${chromiumPath}`;
  }
  return undefined;
}

const missing = await missingTools();
// CI installs every one of them (.ci/run): there a missing tool is a failure, not a skip.
if (missing && process.env.CI) throw new Error(`browser test cannot run under CI: ${missing}`);
const skip = missing;
let server: FakeTokend;
let browser: Browser | undefined;
let page: Page;
const outfile = join(tmpdir(), `tokend-sdk-${process.pid}.js`);

before(async () => {
  if (skip) return;
  const script = (await import(new URL('scripts/build-sdk-bundle.mjs', root).href)) as {
    buildSdkBundle(options: { minify: boolean; outfile: string }): Promise<string>;
  };
  const bundle = await readFile(await script.buildSdkBundle({ minify: true, outfile }), 'utf8');
  server = await startFakeTokend({
    fallback: (request, res) => {
      if (request.path === '/sdk.browser.js') res.writeHead(200, { 'content-type': 'text/javascript' }).end(bundle);
      else if (request.path === '/') {
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end(`<!doctype html><script type="module">
          import * as sdk from '/sdk.browser.js';
          window.sdk = sdk;
        </script>`);
      } else res.writeHead(404).end();
    },
  });
  const playwright = (await load<Playwright>('playwright-core')) as Playwright;
  browser = await playwright.chromium.launch({
    executablePath: chromiumPath,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  page = await browser.newPage();
  await page.goto(`${server.baseUrl}/`);
  await page.waitForFunction('window.sdk !== undefined');
});

after(async () => {
  await browser?.close();
  await server?.close();
  await rm(outfile, { force: true });
  await rm(`${outfile}.map`, { force: true });
});

// biome-ignore lint/suspicious/noExplicitAny: the bundle's exports, as the page sees them
type Sdk = any;
declare const window: { sdk: Sdk; client: Sdk };

test('the bundle logs in, calls TokensApi and computes PKCE in Chromium', { skip }, async () => {
  const result = await page.evaluate(async (origin) => {
    const { ApiClient, TokensApi, computePKCECodeChallenge, generatePKCECodeVerifier } = window.sdk;
    window.client = new ApiClient({ baseUrl: origin });
    const auth = await window.client.loginClientCredentialsGrant('browser-client', 'bröwser secret');
    const info = await new TokensApi(window.client).getTokensMe();
    return {
      accessToken: auth.accessToken,
      scope: info.authorizedScope,
      challenge: await computePKCECodeChallenge('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk'),
      verifierLength: generatePKCECodeVerifier().length,
      userAgent: navigator.userAgent,
    };
  }, server.baseUrl);
  assert.match(result.userAgent, /HeadlessChrome/);
  assert.equal(result.accessToken, 'access-1');
  assert.deepEqual(result.scope, ['access-1']);
  assert.equal(result.challenge, 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM');
  assert.equal(result.verifierLength, 128);
  const login = server.to('/oauth/token')[0];
  assert.ok(login);
  assert.equal(login.headers.authorization, `Basic ${Buffer.from('browser-client:bröwser secret').toString('base64')}`);
  assert.deepEqual(formOf(login), { grant_type: 'client_credentials' });
});

test('the bundle logs in again after a 401 and throws typed errors in Chromium', { skip }, async () => {
  server.valid.clear();
  const result = await page.evaluate(async () => {
    const { ApiClient, TokensApi, isApiError, isSdkError } = window.sdk;
    const info = await new TokensApi(window.client).getTokensMe();
    const stranger = new ApiClient({ baseUrl: location.origin });
    stranger.setAccessToken('not-a-token');
    try {
      await new TokensApi(stranger).getTokensMe();
      return { scope: info.authorizedScope, error: undefined };
    } catch (error) {
      return {
        scope: info.authorizedScope,
        error: { api: isApiError(error), sdk: isSdkError(error), name: (error as Error).name, message: (error as Error).message },
      };
    }
  }, undefined);
  assert.deepEqual(result.scope, ['access-2']);
  assert.deepEqual(result.error, {
    api: true,
    sdk: true,
    name: 'ApiError',
    message: '401 bad.credentials: Invalid login credentials. (correlation id ctx-401-bad.credentials)',
  });
  assert.equal(server.to('/oauth/token').length, 2);
});
