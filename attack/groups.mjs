/**
 * Groups: membership picks a person's idle token timeout (the organization's group bundles), so
 * the groups API is a way to lengthen one's own sessions unless core refuses it.
 * - A person with the `groups` scope and no permission tries every way into the group whose
 *   bundle gives 8 hours (the organization's timeout is 5 minutes): add themselves, be added by
 *   editing the group, create a group, read or change a group they may not see. Nothing may be
 *   admitted, and their token must still idle out at 5 minutes.
 * - Another organization's administrator reaches for this organization's groups: every answer
 *   must be 404, as for an unknown group.
 * - Racing member changes at one version (GroupMembersUpdate.version), spread over the nodes on
 *   PostgreSQL: exactly one lands, the others are 409, and the members are the winner's alone.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { basic, form, json, send } from './lib/http.mjs';
import { ON_POSTGRES } from './lib/postgres.mjs';
import { tally } from './lib/report.mjs';
import { startNodes, workspace } from './lib/tokend.mjs';

export const key = 'groups';
export const title = "17 groups: choosing one's own idle timeout";

const RACERS = 20;
const secret = () => randomBytes(18).toString('base64url');

function seed() {
  const person = { email: 'person@attack.example', password: secret() };
  const racers = Array.from({ length: RACERS }, (_, i) => ({ id: randomUUID(), email: `racer-${i}@attack.example` }));
  const app = { id: randomUUID(), secret: secret() };
  const admin = { id: randomUUID(), secret: secret() };
  const stranger = { id: randomUUID(), secret: secret() };
  const longShift = randomUUID();
  const hidden = randomUUID();
  const organization = {
    name: 'Attack',
    idleTokenTimeout: {
      enableIdleTokenTimeout: true,
      idleTokenTimeoutSeconds: 300,
      inactivityTimeoutGroupsEnabled: true,
      inactivityTimeoutGroupBundles: [{ priority: 1, timeoutSeconds: 28800, groups: ['Long shift'] }],
    },
    roles: [
      { name: 'Employee', permissions: [] },
      { name: 'Group admin', permissions: ['directory:group:*'] },
    ],
    groups: [
      { id: longShift, name: 'Long shift' },
      { id: hidden, name: 'Hidden' },
    ],
    users: [
      { name: 'Person', email: person.email, password: person.password, roles: ['Employee'] },
      ...racers.map((r, i) => ({ id: r.id, name: `Racer ${i}`, email: r.email, password: secret() })),
    ],
    clients: [
      { id: app.id, name: 'Attack groups app', secret: app.secret, authorizedGrantType: 'PASSWORD', scope: ['groups'] },
      { id: admin.id, name: 'Attack group admin', secret: admin.secret, authorizedGrantType: 'CLIENT-CREDENTIALS', roles: ['Group admin'] },
    ],
  };
  const other = {
    name: 'Attack elsewhere',
    roles: [{ name: 'Group admin', permissions: ['directory:group:*'] }],
    clients: [{ id: stranger.id, name: 'Stranger admin', secret: stranger.secret, authorizedGrantType: 'CLIENT-CREDENTIALS', roles: ['Group admin'] }],
  };
  return { seed: { organizations: [organization, other] }, person, racers, app, admin, stranger, longShift, hidden };
}

async function token(server, client, person) {
  const fields = person ? { grant_type: 'password', username: person.email, password: person.password } : { grant_type: 'client_credentials' };
  const response = await send(server, {
    method: 'POST',
    path: '/oauth/token',
    headers: { authorization: basic(client.id, client.secret), 'content-type': 'application/x-www-form-urlencoded' },
    body: form(fields),
  });
  const accessToken = json(response)?.access_token;
  if (!accessToken) throw new Error(`no token for ${client.id}: ${response.status} ${response.body}`);
  return accessToken;
}

const call = (server, bearer, method, path, body) =>
  send(server, {
    method,
    path,
    headers: { authorization: `Bearer ${bearer}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });

export async function run(findings) {
  const s = seed();
  const ws = await workspace(key, s.seed);
  const nodes = await startNodes(ON_POSTGRES ? 2 : 1, { database: ws.database, seedFile: ws.seedFile });
  const [first] = nodes;
  try {
    const admin = await token(first, s.admin);
    await call(first, admin, 'PUT', `/api/v2/groups/${s.hidden}`, { version: 1, visibility: 'owners' });
    const person = await token(first, s.app, s.person);
    const personId = json(await call(first, person, 'GET', '/api/v2/users/me'))?.id;
    const attempts = [
      ['DELETE', `/api/v2/groups/${s.longShift}/members?ids=${s.racers[0].id}`],
      ['POST', `/api/v2/groups/${s.longShift}/members`, { memberIds: [personId] }],
      ['POST', `/api/v2/groups/${s.longShift}/members`, { memberIds: [personId], version: 1 }],
      ['PUT', `/api/v2/groups/${s.longShift}`, { version: 1, ownerIds: [personId] }],
      ['POST', '/api/v2/groups', { name: 'Mine', type: 'official', visibility: 'public', rulesVisible: true, ownerIds: [personId] }],
      ['DELETE', `/api/v2/groups/${s.longShift}`],
      ['GET', `/api/v2/groups/${s.hidden}`],
      ['GET', `/api/v2/groups/${s.hidden}/members`],
      ['POST', `/api/v2/groups/${s.hidden}/members`, { memberIds: [personId] }],
    ];
    const admitted = [];
    for (const [method, path, body] of attempts) {
      const response = await call(first, person, method, path, body);
      if (response.status < 400 || response.status >= 500) admitted.push(`${method} ${path} → ${response.status}`);
    }
    // The request restarts the clock: what is left is the timeout that applies, to the second.
    const idles = json(await call(first, person, 'GET', '/api/v2/tokens/me'))?.dateTokenIdles;
    const idleSeconds = Math.round((Date.parse(idles ?? '') - Date.now()) / 1000);
    findings.check(
      title,
      'a person without permission: requests admitted on the way into a longer idle timeout',
      admitted.length === 0 ? 0 : admitted.join('; '),
      0,
      admitted.length === 0,
    );
    findings.check(title, "that person's idle timeout afterwards", `${idleSeconds} s`, '300 s', idleSeconds === 300);

    const stranger = await token(first, s.stranger);
    const reaches = [
      ['GET', `/api/v2/groups/${s.longShift}`],
      ['PUT', `/api/v2/groups/${s.longShift}`, { version: 1, name: 'Taken' }],
      ['DELETE', `/api/v2/groups/${s.hidden}`],
      ['GET', `/api/v2/groups/${s.longShift}/members`],
      ['POST', `/api/v2/groups/${s.longShift}/members`, { memberIds: [s.racers[0].id] }],
      ['DELETE', `/api/v2/groups/${s.longShift}/members?ids=${s.racers[0].id}`],
    ];
    const statuses = [];
    for (const [method, path, body] of reaches) statuses.push((await call(first, stranger, method, path, body)).status);
    const listed = json(await call(first, stranger, 'GET', '/api/v2/groups'))?.total;
    const not404 = statuses.filter((status) => status !== 404).length + (listed === 0 ? 0 : 1);
    findings.check(title, "another organization's administrator: answers other than 404 (and groups listed)", not404, 0, not404 === 0);

    const version = json(await call(first, admin, 'GET', `/api/v2/groups/${s.longShift}`))?.version;
    const outcomes = await Promise.all(
      s.racers.map((racer, i) =>
        call(nodes[i % nodes.length], admin, 'POST', `/api/v2/groups/${s.longShift}/members`, { memberIds: [racer.id], version }).then((r) => r.status),
      ),
    );
    const counts = tally(outcomes.map(String));
    const members = json(await call(first, admin, 'GET', `/api/v2/groups/${s.longShift}/members`))?.entities?.map((u) => u.id) ?? [];
    const winner = s.racers[outcomes.indexOf(202)]?.id;
    const exact = counts['202'] === 1 && counts['409'] === RACERS - 1 && members.length === 1 && members[0] === winner;
    findings.check(
      title,
      `${RACERS} member changes at one version${ON_POSTGRES ? ', 2 nodes' : ''}: written / refused 409 / members after`,
      `${counts['202'] ?? 0} / ${counts['409'] ?? 0} / ${members.length}`,
      `1 / ${RACERS - 1} / 1 (the winner)`,
      exact,
    );
  } finally {
    await Promise.all(nodes.map((node) => node.stop()));
    await ws.remove();
  }
}
