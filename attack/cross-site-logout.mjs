/**
 * Attack 10, signing a person out from another site (issue 22, item 11): a page elsewhere sends
 * the signed-in admin's browser to `GET /logout` in every way that names no app with one of its
 * registered redirect URIs (no query, only a redirect URI, an unknown client, a client with
 * another app's URI; with `Sec-Fetch-Site: cross-site`, `same-site` or none at all), then posts
 * the confirmation form from its own page. Her session and the token issued through it must
 * live on. With the app's id and a registered URI (what the SDK's logout sends) sign-out
 * proceeds: the limit the Genesys protocol leaves, reported, not a violation.
 */
import { Browser, hidden, isConsentPage } from './lib/browser.mjs';
import { consentSeed } from './lib/consent-seed.mjs';
import { address, basic, form, json, send } from './lib/http.mjs';
import { ORGANIZATION } from './lib/seed.mjs';
import { startTokend, workspace } from './lib/tokend.mjs';

const BLOCK = 10;

export const key = 'logout';
export const title = '11 sign-out from another site';

export async function run(findings) {
  const { seed, victim, app } = consentSeed();
  const ws = await workspace(key, seed);
  const server = await startTokend({ database: ws.database, seedFile: ws.seedFile });
  try {
    const from = address(BLOCK, 1);
    const admin = new Browser(server, from);
    await admin.signIn(ORGANIZATION, victim.email, victim.password);
    const token = await tokenThroughSession(server, admin, app);
    const alive = async () => {
      const account = await admin.get('/account', { 'sec-fetch-site': 'same-origin' });
      const me = await send(server, { from, path: '/api/v2/tokens/me', headers: { authorization: `Bearer ${token}` } });
      return account.status === 200 && me.status === 200;
    };

    const queries = [
      '',
      `?${new URLSearchParams({ redirect_uri: 'https://attacker.example/' })}`,
      `?${new URLSearchParams({ redirect_uri: app.redirectUri })}`,
      `?${new URLSearchParams({ client_id: 'no-such-client', redirect_uri: app.redirectUri })}`,
      `?${new URLSearchParams({ client_id: app.id, redirect_uri: 'https://attacker.example/' })}`,
    ];
    const survived = [];
    const ended = [];
    for (const site of ['cross-site', 'same-site', undefined]) {
      for (const query of queries) {
        const response = await admin.get(`/logout${query}`, site === undefined ? {} : { 'sec-fetch-site': site });
        const what = `${site ?? 'no Sec-Fetch-Site'} /logout${query}`;
        if ((await alive()) && response.status === 200 && /<h1>Sign out\?<\/h1>/.test(response.body)) survived.push(what);
        else ended.push(`${what}: ${response.status}`);
      }
    }
    // The confirmation form, posted from the attacker's page: no session cookie comes along; and
    // as from a sibling site, with the cookie but without her page's CSRF token.
    await admin.post('/logout', { csrf: 'x' }, { 'sec-fetch-site': 'cross-site' }, { withCookies: false });
    const forged = await admin.post('/logout', { csrf: 'A'.repeat(43) }, { 'sec-fetch-site': 'same-site' });
    const formsRefused = forged.status === 403 && (await alive());
    findings.check(
      title,
      `GET /logout without an app and its registered URI (${queries.length} queries × 3 Sec-Fetch-Site values), then forged confirmations`,
      ended.length === 0 && formsRefused
        ? `${survived.length} asked first, forms refused; session and token live`
        : `ended: ${ended.join('; ') || 'by a forged form'}`,
      'nothing ends',
      ended.length === 0 && formsRefused,
    );

    // What the SDK's logout sends: the app's id and a registered URI. It proceeds (documented limit).
    const sdkLogout = await admin.get(`/logout?${new URLSearchParams({ client_id: app.id, redirect_uri: app.signedOutUri })}`, {
      'sec-fetch-site': 'cross-site',
    });
    const out = !(await alive());
    findings.check(
      title,
      "the SDK's logout (the app's id and a registered URI), cross-site",
      `${sdkLogout.status} to ${sdkLogout.headers?.location ?? '-'}; ${out ? 'signed out' : 'still signed in'}`,
      '302 to the URI, signed out (the protocol limit, docs/browser-sign-in.md)',
      sdkLogout.status === 302 && sdkLogout.headers?.location === app.signedOutUri && out,
    );
  } finally {
    await server.stop();
    await ws.remove();
  }
}

/** A token issued through the browser's session: the first-party app's code flow, allowed on the consent page. */
async function tokenThroughSession(server, browser, app) {
  const query = new URLSearchParams({ client_id: app.id, redirect_uri: app.redirectUri, response_type: 'code' });
  let response = await browser.get(`/oauth/authorize?${query}`);
  if (isConsentPage(response)) {
    response = await browser.post('/consent', { authorize: hidden(response.body, 'authorize'), consent: hidden(response.body, 'consent'), decision: 'allow' });
  }
  const code = response.headers?.location ? new URL(response.headers.location).searchParams.get('code') : null;
  if (!code) throw new Error(`no code for the app: ${response.status}`);
  const issued = await send(server, {
    from: browser.from,
    method: 'POST',
    path: '/oauth/token',
    headers: { authorization: basic(app.id, app.secret), 'content-type': 'application/x-www-form-urlencoded' },
    body: form({ grant_type: 'authorization_code', code, redirect_uri: app.redirectUri }),
  });
  const token = json(issued)?.access_token;
  if (!token) throw new Error(`the code gave no token: ${issued.status} ${issued.body}`);
  return token;
}
