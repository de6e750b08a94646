/**
 * Attack 8, the boundary (issue 22): what a caller sends at the edge of the server, where one
 * layer reads a request differently from another. Each part below runs against one real
 * `tokend serve` and reports a figure per check:
 * - metrics through a same-host proxy: `GET /metrics` from loopback carrying each proxy header
 *   (`Forwarded`, `X-Forwarded-For`, `X-Real-IP`, `Via`) must get the 404 of an unknown path;
 * - absolute-form request targets (`GET http://host/api/v2/tokens/me HTTP/1.1`): an /api/v2
 *   answer must carry `Cache-Control: no-store` as the origin form does, and a form body to
 *   `PUT /api/v2/tokens/timeout` must be 415 as in origin form;
 * - secrets in argv: `tokend tokens me get --client-secret-stdin` waiting for its secret shows
 *   none in /proc/PID/cmdline (what `ps` prints to every local user), a secret given as a flag
 *   gets a warning on stderr, and the README's first command line example gives none as a flag;
 * - a NUL (U+0000) in every input that reaches core, with and without credentials: each must be a
 *   400 (never a 5xx, as PostgreSQL answered), and the server must log no error line;
 * - one account, many spellings of its email: spellings that are another account in core's normal
 *   form (`İ` for `i`, which PostgreSQL's lower() folded to `i`) must not sign in with its
 *   password, and spellings that are the same account (letter case, fullwidth) must share its
 *   caps: 5 checked guesses from one address, 50 from twelve;
 * - file modes (SQLite), under umask 022: the folder tokend creates for its store 0700, the store,
 *   its -wal and -shm 0600 while it serves, and a `tokend backup` copy 0600.
 */
import { spawn } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { clientCredentials } from './lib/client-auth.mjs';
import { ON_POSTGRES } from './lib/postgres.mjs';
import { address, basic, form, send } from './lib/http.mjs';
import { tally } from './lib/report.mjs';
import { passwordGrant } from './lib/sign-in.mjs';
import { campaignSeed } from './lib/seed.mjs';
import { CLI, ROOT, startTokend, workspace } from './lib/tokend.mjs';

const BLOCK = 8;

export const key = 'boundary';
export const title = '8 boundary';

export async function run(findings) {
  const { seed, service, passwordApp, people } = campaignSeed({ users: 1 });
  // An email with four i's: sixteen spellings with İ in their place.
  const spelt = { email: 'lili.mimi@attack.example', password: `spelt-${service.secret}` };
  seed.organizations[0].users.push({ name: 'Lili Mimi', email: spelt.email, password: spelt.password, roles: ['Employee'] });
  // The service may change the idle timeout and add clients: the bodies it sends there must be
  // judged (415, 400), which happens only once the caller is admitted (a caller without the
  // permission gets its 403 before any body is read).
  seed.organizations[0].roles.push({ name: 'Boundary admin', permissions: ['directory:organization:admin', 'oauth:client:add'] });
  seed.organizations[0].clients[0].roles = ['Boundary admin'];
  const ws = await workspace(key, seed);
  // In a folder of its own that tokend creates, under the umask most systems have (its children inherit it).
  const database = ON_POSTGRES ? ws.database : join(ws.dir, 'store', 'tokend.db');
  const umask = process.umask(0o022);
  let server;
  try {
    server = await startTokend({ database, seedFile: ws.seedFile });
  } finally {
    process.umask(umask);
  }
  try {
    await metricsThroughProxy(findings, server);
    const issued = await clientCredentials(server, address(BLOCK, 0), service.id, service.secret);
    if (issued.outcome !== 'issued') throw new Error(`no token for the boundary attack: ${issued.outcome}`);
    await absoluteForm(findings, server, issued.token);
    await nulInputs(findings, server, { service, passwordApp, person: people[0] }, issued.token);
    await spellings(findings, server, passwordApp, spelt);
    await secretsInArgv(findings, server, service, ws.dir);
    if (!ON_POSTGRES) await fileModes(findings, database, ws.dir);
  } finally {
    await server.stop();
    await ws.remove();
  }
}

/** A proxy on this host makes every caller loopback: only its headers tell a remote caller apart. */
async function metricsThroughProxy(findings, server) {
  const label = `${title}: /metrics behind a same-host proxy`;
  const direct = await send(server, { path: '/metrics' });
  findings.check(label, 'a local scrape without proxy headers', direct.status, 200, direct.status === 200);
  const headers = [{ 'x-real-ip': '203.0.113.9' }, { via: '1.1 nginx' }, { forwarded: 'for=203.0.113.9' }, { 'x-forwarded-for': '203.0.113.9' }];
  const served = [];
  for (const header of headers) {
    const response = await send(server, { path: '/metrics', headers: header });
    if (response.status !== 404 || response.body.includes('tokend_')) served.push(`${Object.keys(header)[0]}: ${response.status}`);
  }
  findings.check(
    label,
    `requests carrying one proxy header each (${headers.length}) that read the metrics`,
    served.length ? served.join(', ') : 0,
    0,
    served.length === 0,
  );
}

/** node:http writes `path` into the request line as it is: an absolute URL goes out in absolute form. */
async function absoluteForm(findings, server, token) {
  const label = `${title}: absolute-form targets`;
  const authorization = `Bearer ${token}`;
  const absolute = (path) => `http://api.attack.example${path}`;
  const targets = ['/api/v2/tokens/me', '/api/v2/tokens/me?preserveIdleTTL=true', '/api/v2/tokens/timeout', '/api/v2/no/such/route'];
  const cacheable = [];
  for (const path of targets) {
    for (const headers of [{ authorization }, {}]) {
      const response = await send(server, { path: absolute(path), headers });
      if (response.headers?.['cache-control'] !== 'no-cache, no-store, must-revalidate') cacheable.push(`${path} ${response.status}`);
    }
  }
  findings.check(
    label,
    `/api/v2 answers without no-store (${targets.length * 2} requests)`,
    cacheable.length ? cacheable.join(', ') : 0,
    0,
    cacheable.length === 0,
  );
  const statuses = [];
  for (const path of ['/api/v2/tokens/timeout', absolute('/api/v2/tokens/timeout')]) {
    const response = await send(server, {
      method: 'PUT',
      path,
      headers: { authorization, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'enableIdleTokenTimeout=true&idleTokenTimeoutSeconds=600',
    });
    statuses.push(`${response.status} ${JSON.parse(response.body || '{}').code ?? ''}`.trim());
  }
  findings.check(
    label,
    'a form body to PUT /api/v2/tokens/timeout: origin form, absolute form',
    statuses.join(', '),
    '415 unsupported.media.type twice',
    statuses.every((s) => s === '415 unsupported.media.type'),
  );
}

/** Runs the CLI; `hold` keeps stdin open until the caller has looked at the process. */
function cli(home, args, { hold } = {}) {
  const child = spawn(process.execPath, [CLI, ...args], { env: { PATH: process.env.PATH, HOME: home }, stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const done = new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
  if (hold === undefined) child.stdin.end();
  return { child, done };
}

async function secretsInArgv(findings, server, service, home) {
  const label = `${title}: secrets in argv`;
  const connection = ['tokens', 'me', 'get', '--url', server.base, '--client-id', service.id];
  // Wait for the process to be running and reading stdin, then read what `ps` shows of it.
  const piped = cli(home, [...connection, '--client-secret-stdin'], { hold: true });
  await new Promise((resolve) => setTimeout(resolve, 300));
  const cmdline = readFileSync(`/proc/${piped.child.pid}/cmdline`, 'utf8').split('\0').join(' ');
  piped.child.stdin.end(service.secret);
  const pipedRun = await piped.done;
  findings.check(
    label,
    '--client-secret-stdin: the secret in /proc/PID/cmdline; the call',
    `${cmdline.includes(service.secret) ? 'shown' : 'absent'}; exit ${pipedRun.code}`,
    'absent; exit 0',
    !cmdline.includes(service.secret) && pipedRun.code === 0,
  );
  const flagged = await cli(home, [...connection, '--client-secret', service.secret]).done;
  const warned = /^tokend: warning: --client-secret puts a secret on the command line.*--client-secret-stdin/.test(flagged.stderr);
  findings.check(
    label,
    '--client-secret as a flag: a warning naming --client-secret-stdin',
    warned ? 'warned' : 'silent',
    'warned',
    warned && flagged.code === 0,
  );
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('\n## Command line\n'));
  const first = /```sh\n([^\n]*)\n/.exec(section)?.[1] ?? '';
  const exposed = /--(client-?secret|access-?token|password)[ =]/.test(first);
  findings.check(label, "the README's first command line example: a secret as a flag", exposed ? first : 'none', 'none', !exposed && first.includes('tokend '));
}

const modeOf = (path) => `0${(statSync(path).mode & 0o777).toString(8)}`;

/** While the server runs (its WAL and shared memory exist), and a backup taken then. */
async function fileModes(findings, database, home) {
  const label = `${title}: file modes under umask 022`;
  const folder = modeOf(join(database, '..'));
  findings.check(label, "the store's folder, created by tokend", folder, '0700', folder === '0700');
  const files = ['', '-wal', '-shm'].map((suffix) => modeOf(`${database}${suffix}`));
  findings.check(
    label,
    'the store, its -wal, its -shm',
    files.join(', '),
    '0600 each',
    files.every((mode) => mode === '0600'),
  );
  const copy = join(home, 'backup.db');
  const umask = process.umask(0o022);
  let backup;
  try {
    backup = await cli(home, ['backup', copy, '--database', database]).done;
  } finally {
    process.umask(umask);
  }
  const copied = backup.code === 0 ? modeOf(copy) : `exit ${backup.code}`;
  findings.check(label, 'a tokend backup copy', copied, '0600', copied === '0600');
}

/** Each input that reaches core, holding a NUL: raw in base64 or a body, percent-encoded in a URL. */
async function nulInputs(findings, server, { service, passwordApp, person }, token) {
  const label = `${title}: NUL in inputs`;
  const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
  const JSON_TYPE = { 'content-type': 'application/json', authorization: `Bearer ${token}` };
  const post = (path, fields, authorization) => ({
    method: 'POST',
    path,
    headers: { ...FORM, ...(authorization ? { authorization } : {}) },
    body: form(fields),
  });
  const anonymous = [
    ['Basic client id', post('/oauth/token', { grant_type: 'client_credentials' }, basic('client\0id', 'x'))],
    ['Basic client id, percent-encoded', post('/oauth/token', { grant_type: 'client_credentials' }, basic('%00client', 'x'))],
    ['client_id at /oauth/revoke', post('/oauth/revoke', { client_id: 'a\0b', token: 't' })],
    ['Basic client id at /oauth/introspect', post('/oauth/introspect', { token: 't' }, basic('a\0', 'b'))],
    ['client_id at /oauth/authorize', { path: '/oauth/authorize?client_id=%00&response_type=code&redirect_uri=https%3A%2F%2Fx.example%2F' }],
    ['client_id at /logout', { path: '/logout?client_id=%00' }],
    ['the email at /login', post('/login', { csrf: 'x', org: 'Attack', email: `${person.email}\0`, password: 'p' })],
    ['the organization at /login', post('/login', { csrf: 'x', org: 'Att\0ack', email: person.email, password: 'p' })],
  ];
  const app = basic(passwordApp.id, passwordApp.secret);
  const authenticated = [
    ['password grant username', post('/oauth/token', { grant_type: 'password', username: `${person.email}\0`, password: person.password }, app)],
    ['password grant password', post('/oauth/token', { grant_type: 'password', username: person.email, password: '\0' }, app)],
    ['refresh token', post('/oauth/token', { grant_type: 'refresh_token', refresh_token: '\0' }, app)],
    ['token at /oauth/introspect', post('/oauth/introspect', { token: 'a\0' }, basic(service.id, service.secret))],
    ['token at /oauth/revoke', post('/oauth/revoke', { token: 'a\0' }, basic(service.id, service.secret))],
    ['a path parameter', { method: 'DELETE', path: '/api/v2/tokens/%00', headers: { authorization: `Bearer ${token}` } }],
    ['a query parameter', { path: '/api/v2/authorization/roles?name=%00', headers: { authorization: `Bearer ${token}` } }],
    [
      'a JSON string',
      { method: 'POST', path: '/api/v2/oauth/clients', headers: JSON_TYPE, body: JSON.stringify({ name: 'n\0', authorizedGrantType: 'CLIENT-CREDENTIALS' }) },
    ],
    [
      'a JSON string in an array',
      { method: 'PUT', path: '/api/v2/tokens/timeout', headers: JSON_TYPE, body: JSON.stringify({ inactivityTimeoutGroupBundles: [{ groups: ['\0'] }] }) },
    ],
  ];
  const logBefore = server.output().length;
  for (const [kind, cases] of [
    ['without credentials', anonymous],
    ['with credentials', authenticated],
  ]) {
    const odd = [];
    for (const [name, request] of cases) {
      const response = await send(server, { from: address(BLOCK, 9), ...request });
      if (response.status !== 400) odd.push(`${name}: ${response.status ?? response.error}`);
    }
    findings.check(label, `${cases.length} inputs ${kind}: answers other than 400`, odd.length ? odd.join(', ') : 0, 0, odd.length === 0);
  }
  // The server logs at warn: an error line would be level 50.
  const errorLines = server
    .output()
    .slice(logBefore)
    .split('\n')
    .filter((line) => /"level":(50|60)/.test(line)).length;
  findings.check(label, 'error lines logged meanwhile', errorLines, 0, errorLines === 0);
}

/** The sixteen spellings of `email` with each i as i or İ (the first is `email` itself). */
function dottedSpellings(email) {
  const at = [...email].flatMap((c, i) => (c === 'i' ? [i] : []));
  return Array.from({ length: 2 ** at.length }, (_, mask) => [...email].map((c, i) => (at.includes(i) && mask & (1 << at.indexOf(i)) ? 'İ' : c)).join(''));
}

/** Spellings one in core's normal form: letter case and fullwidth letters. */
function sameAccountSpellings(email) {
  const fullwidth = (text) => text.replace(/[!-~]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));
  const [local, domain] = email.split('@');
  return [email, email.toUpperCase(), fullwidth(email), fullwidth(email.toUpperCase()), `${fullwidth(local)}@${domain}`, `${local.toUpperCase()}@${domain}`];
}

async function spellings(findings, server, app, person) {
  const label = `${title}: spellings of one email`;
  let next = 0;
  const fresh = () => address(BLOCK + 1, next++);
  const attempt = async (from, email, password) => (await passwordGrant(server, from, app, email, password)).outcome;
  // Each spelling with İ, from an address of its own, with the right password: none may be the account.
  const dotted = dottedSpellings(person.email).slice(1);
  const reached = [];
  for (const email of dotted) if ((await attempt(fresh(), email, person.password)) === 'success') reached.push(email);
  findings.check(label, `right password under ${dotted.length} spellings with İ for i: signed in`, reached.length, 0, reached.length === 0);
  // One address, sixteen wrong passwords in six spellings of the same account.
  const same = sameAccountSpellings(person.email);
  const one = fresh();
  const outcomes = [];
  for (let i = 0; i < 16; i++) outcomes.push(await attempt(one, same[i % same.length], `wrong-${i}`));
  const counts = tally(outcomes);
  findings.check(
    label,
    `16 wrong passwords, ${same.length} spellings, one address: checked`,
    counts.verdict ?? 0,
    '≤ 5',
    (counts.verdict ?? 0) <= 5 && (counts.throttled ?? 0) + (counts.verdict ?? 0) === 16,
  );
  // Twelve addresses, five each in rotating spellings (the five above count too): the account's 50 from all addresses.
  const many = [];
  for (let a = 0; a < 12; a++) {
    const from = fresh();
    for (let i = 0; i < 5; i++) many.push(await attempt(from, same[(a + i) % same.length], `wrong-${a}-${i}`));
  }
  const verdicts = (counts.verdict ?? 0) + (tally(many).verdict ?? 0);
  findings.check(label, '5 more wrong passwords from each of 12 addresses, in rotating spellings: checked in all', verdicts, '≤ 50', verdicts <= 50);
  const capped = await attempt(fresh(), same[2], person.password);
  findings.check(label, 'right password from a fresh address, fullwidth spelling, past the cap', capped, 'throttled', capped === 'throttled');
}
