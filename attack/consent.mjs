/**
 * Attack 8, a signed-in admin's token from one link (issue 22, item 3): a client admin registers
 * his own CODE app through the API, sends a signed-in admin the authorize link, and tries to get
 * a code for her without her pressing Allow: the link itself, `prompt=none`, Allow forms posted
 * from his site (no cookie), with her cookie and his own session's consent token, with made-up
 * tokens, and the link again after he changed the app's redirect URIs once she had allowed it.
 * Every code or token for the admin that she did not allow is a violation.
 */
import { Browser, hidden, isConsentPage, issuedIn } from './lib/browser.mjs';
import { consentSeed } from './lib/consent-seed.mjs';
import { clientCredentials } from './lib/client-auth.mjs';
import { address, json, pool, send } from './lib/http.mjs';
import { tally } from './lib/report.mjs';
import { ORGANIZATION } from './lib/seed.mjs';
import { startTokend, workspace } from './lib/tokend.mjs';

const BLOCK = 8;
const MADE_UP_TOKENS = 200;
const EVIL = 'https://attacker.example/callback';

export const key = 'consent';
export const title = '9 consent: a token from one link';

export async function run(findings) {
  const { seed, victim, attacker, clientAdmin } = consentSeed();
  const ws = await workspace(key, seed);
  const server = await startTokend({ database: ws.database, seedFile: ws.seedFile });
  try {
    const from = address(BLOCK, 1);
    const service = await clientCredentials(server, from, clientAdmin.id, clientAdmin.secret);
    if (!service.token) throw new Error(`the client admin got no token: ${service.outcome}`);
    const api = (method, path, payload) =>
      send(server, {
        from,
        method,
        path,
        headers: { authorization: `Bearer ${service.token}`, 'content-type': 'application/json' },
        body: JSON.stringify(payload),
      });
    const appBody = { name: 'Quarterly report helper', authorizedGrantType: 'CODE', registeredRedirectUri: [EVIL], scope: ['authorization'] };
    const created = await api('POST', '/api/v2/oauth/clients', appBody);
    const app = json(created);
    if (created.status !== 200 || !app?.id) throw new Error(`the client admin could not register his app: ${created.status} ${created.body}`);

    const admin = new Browser(server, address(BLOCK, 2));
    await admin.signIn(ORGANIZATION, victim.email, victim.password);
    const link = (extra = {}) =>
      `/oauth/authorize?${new URLSearchParams({ client_id: app.id, redirect_uri: EVIL, response_type: 'code', state: 'x', ...extra })}`;
    const stolen = [];
    const note = (what, response) => {
      const issued = issuedIn(response);
      if (issued) stolen.push(what);
      return response;
    };

    // The link, as the admin's browser follows it from the attacker's mail or page.
    const opened = note('the link', await admin.get(link(), { 'sec-fetch-site': 'cross-site' }));
    findings.check(
      title,
      "the admin follows the attacker's link",
      isConsentPage(opened) ? 'the consent page' : `${opened.status}`,
      'the consent page, no code',
      isConsentPage(opened) && !issuedIn(opened),
    );
    const silent = note('prompt=none', await admin.get(link({ prompt: 'none' }), { 'sec-fetch-site': 'cross-site' }));
    const silentError = silent.headers?.location ? new URL(silent.headers.location).searchParams.get('error') : `${silent.status}`;
    findings.check(title, 'the same link with prompt=none', silentError, 'consent_required', silentError === 'consent_required');

    // Allow forms: from his page (the browser sends no SameSite=Lax cookie with a cross-site POST),
    // and, as if from a sibling site, with her cookie and the consent token of his own session.
    const mallory = new Browser(server, address(BLOCK, 3));
    await mallory.signIn(ORGANIZATION, attacker.email, attacker.password);
    const hisPage = await mallory.get(link());
    const hisToken = hidden(hisPage.body, 'consent');
    const authorize = hidden(hisPage.body, 'authorize');
    if (!hisToken || !authorize) throw new Error(`the attacker's own consent page has no form: ${hisPage.status}`);
    const allow = { authorize, consent: hisToken, decision: 'allow' };
    note('a cross-site Allow', await admin.post('/consent', allow, { 'sec-fetch-site': 'cross-site' }, { withCookies: false }));
    const withHisToken = note("his session's token with her cookie", await admin.post('/consent', allow, { 'sec-fetch-site': 'same-site' }));
    const outcomes = [];
    await pool(MADE_UP_TOKENS, 16, async (i) => {
      const response = note(
        'a made-up token',
        await admin.post('/consent', { ...allow, consent: Buffer.from(`${i}-guess`).toString('base64url').padEnd(43, 'A') }),
      );
      outcomes.push(String(response.status));
    });
    findings.check(
      title,
      `Allow forms without her consent token (cross-site, his session's token, ${MADE_UP_TOKENS} made-up tokens)`,
      `${withHisToken.status} for his token; made-up: ${JSON.stringify(tally(outcomes))}`,
      'refused (403), no code',
      withHisToken.status === 403 && outcomes.every((status) => status === '403'),
    );

    // She allows the app as it is; he then adds a redirect URI: her Allow no longer holds.
    const page = await admin.get(link());
    const allowed = await admin.post('/consent', { authorize: hidden(page.body, 'authorize'), consent: hidden(page.body, 'consent'), decision: 'allow' });
    const legit = issuedIn(allowed) !== null;
    const changed = await api('PUT', `/api/v2/oauth/clients/${app.id}`, { ...appBody, registeredRedirectUri: [EVIL, 'https://attacker.example/second'] });
    const after = note('the link after the change', await admin.get(link({ redirect_uri: 'https://attacker.example/second' })));
    findings.check(
      title,
      'the link after she allowed the app and he changed its redirect URIs',
      isConsentPage(after) ? 'asked again' : `${after.status}`,
      'asked again',
      legit && changed.status === 200 && isConsentPage(after),
    );
    findings.check(title, 'codes issued for the admin that she did not allow', stolen.length === 0 ? 0 : stolen.join(', '), '0', stolen.length === 0);
  } finally {
    await server.stop();
    await ws.remove();
  }
}
