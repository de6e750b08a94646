/**
 * Attack 11, redirect URIs that run script or leak the code (issue 22, item 15): a client admin
 * registers apps through the API, and changes an existing one, with `javascript:`, `data:`,
 * `file:`, `vbscript:`, fragment, userinfo, non-loopback `http` and disguised (tab, newline,
 * letter case) redirect URIs. Every one must be refused with 400 naming the field, and nothing
 * stored; the allowed kinds (https, loopback http, a private-use scheme) still register.
 */
import { clientCredentials } from './lib/client-auth.mjs';
import { consentSeed } from './lib/consent-seed.mjs';
import { address, json, send } from './lib/http.mjs';
import { startTokend, workspace } from './lib/tokend.mjs';

const BLOCK = 11;
const BAD = [
  'javascript:alert(document.cookie)',
  'JAVASCRIPT:alert(1)',
  'javascript://app.attack.example/%0aalert(1)',
  'java\tscript:alert(1)',
  'java\nscript:alert(1)',
  ' javascript:alert(1)',
  'data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==',
  'file:///etc/passwd',
  'vbscript:msgbox(1)',
  'https://app.attack.example/callback#',
  'https://app.attack.example/callback#access_token=',
  'https://app.attack.example@attacker.example/callback',
  'https://user:password@app.attack.example/callback',
  'http://app.attack.example/callback',
  'http://127.0.0.1.attacker.example/callback',
  'myapp:callback',
];
const GOOD = ['https://app.attack.example/second', 'http://127.0.0.1/cb', 'http://[::1]:5000/cb', 'com.attack.app:/oauth/callback'];

export const key = 'redirects';
export const title = '12 dangerous redirect URIs';

export async function run(findings) {
  const { seed, clientAdmin, app } = consentSeed();
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
    const body = (uris) => ({ name: 'Attack app', authorizedGrantType: 'TOKEN', registeredRedirectUri: uris });

    const accepted = [];
    for (const uri of BAD) {
      for (const [method, path, payload] of [
        ['POST', '/api/v2/oauth/clients', body([uri])],
        ['POST', '/api/v2/oauth/clients', body(['https://app.attack.example/ok', uri])],
        ['PUT', `/api/v2/oauth/clients/${app.id}`, { ...body([app.redirectUri, uri]), authorizedGrantType: 'CODE', name: 'Attack portal' }],
      ]) {
        const response = await api(method, path, payload);
        const error = json(response);
        const index = payload.registeredRedirectUri.indexOf(uri);
        const named = error?.details?.[0]?.fieldName === `registeredRedirectUri[${index}]`;
        if (response.status !== 400 || error?.code !== 'invalid.value' || !named) accepted.push(`${method} ${JSON.stringify(uri)}: ${response.status}`);
      }
    }
    findings.check(
      title,
      `${BAD.length} dangerous redirect URIs, each by POST alone, POST beside a good one, and PUT`,
      accepted.length === 0 ? `${BAD.length * 3} refused with 400 naming the field` : accepted.join('; '),
      'all refused',
      accepted.length === 0,
    );
    const listing = json(await api('GET', '/api/v2/oauth/clients'));
    const stored = (listing?.entities ?? []).flatMap((client) => client.registeredRedirectUri ?? []).filter((uri) => BAD.includes(uri));
    findings.check(title, 'dangerous redirect URIs stored', stored.length, '0', stored.length === 0);
    const good = await api('POST', '/api/v2/oauth/clients', body(GOOD));
    findings.check(title, 'https, loopback http and a private-use scheme', `${good.status}`, '200', good.status === 200);
  } finally {
    await server.stop();
    await ws.remove();
  }
}
