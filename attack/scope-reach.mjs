/**
 * Attack 16, reach beyond a token's scopes and refusals that keep a token alive. A person who
 * holds `*` signs in through an app scoped `oauth` only: the token must not change the idle
 * timeout, nor make a client that can (a role with `directory:organization:admin`, or `*`), since
 * what a token may hand on is its person's permissions narrowed by its scopes (CONTRACT.md,
 * "Control plane"). Then a token under a 300-second idle timeout sends every operation of the
 * table that its roles do not permit, and one that needs a person: each refusal must leave its
 * idle clock where it was (CONTRACT.md, "IdleTokenTimeout": only an admitted request moves it),
 * while an admitted request moves it. On PostgreSQL the requests alternate between two nodes.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { json, send, sleep, tokenRequest } from './lib/http.mjs';
import { ON_POSTGRES } from './lib/postgres.mjs';
import { log } from './lib/report.mjs';
import { ROOT, startNodes, workspace } from './lib/tokend.mjs';

export const key = 'reach';
export const title = '16 scope reach and refusals';

const secret = () => randomBytes(18).toString('base64url');

function reachSeed() {
  const roles = { everything: randomUUID(), clientKeeper: randomUUID(), timeoutKeeper: randomUUID(), nothing: randomUUID() };
  const alice = { email: 'alice@reach.test', password: secret() };
  const oauthApp = { id: randomUUID(), secret: secret() };
  const bare = { id: randomUUID(), secret: secret() };
  const seed = {
    organizations: [
      {
        name: 'Reach',
        idleTokenTimeout: { enableIdleTokenTimeout: true, idleTokenTimeoutSeconds: 300 },
        roles: [
          { id: roles.everything, name: 'Everything', permissions: ['*'] },
          { id: roles.clientKeeper, name: 'Client keeper', permissions: ['oauth:client:view', 'oauth:client:add'] },
          { id: roles.timeoutKeeper, name: 'Timeout keeper', permissions: ['directory:organization:admin'] },
          { id: roles.nothing, name: 'Nothing', permissions: [] },
        ],
        users: [{ name: 'Alice', email: alice.email, password: alice.password, roles: ['Everything'] }],
        clients: [
          { id: oauthApp.id, name: 'Oauth app', secret: oauthApp.secret, authorizedGrantType: 'PASSWORD', scope: ['oauth'] },
          { id: bare.id, name: 'Bare service', secret: bare.secret, authorizedGrantType: 'CLIENT-CREDENTIALS', roles: ['Nothing'] },
        ],
      },
    ],
  };
  return { seed, roles, alice, oauthApp, bare };
}

export async function run(findings) {
  const label = `${title}${ON_POSTGRES ? ', 2 nodes' : ''}`;
  const { ALL_OPERATIONS } = await import(`${ROOT}/dist/src/core/operations/table.js`);
  const { seed, roles, alice, oauthApp, bare } = reachSeed();
  const ws = await workspace(key, seed);
  const nodes = await startNodes(ON_POSTGRES ? 2 : 1, { database: ws.database, seedFile: ws.seedFile });
  let turn = 0;
  const node = () => nodes[turn++ % nodes.length];
  try {
    const token = async (client, fields) => {
      const response = await tokenRequest(node(), '127.0.0.1', client.id, client.secret, fields);
      if (response.status !== 200) throw new Error(`no token for ${client.id}: ${response.status} ${response.body}`);
      return json(response).access_token;
    };
    const api = (bearer, method, path, body, on = node()) =>
      send(on, {
        method,
        path,
        headers: { authorization: `Bearer ${bearer}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });

    // 1. A person holding * through an app scoped `oauth`.
    const scoped = await token(oauthApp, { grant_type: 'password', username: alice.email, password: alice.password });
    const service = await token(bare, { grant_type: 'client_credentials' });
    const division = json(await api(service, 'GET', '/api/v2/authorization/divisions/home'))?.id;
    const beyond = [];
    const timeout = await api(scoped, 'PUT', '/api/v2/tokens/timeout', { enableIdleTokenTimeout: false });
    if (timeout.status !== 403) beyond.push(`PUT /tokens/timeout → ${timeout.status}`);
    const made = [];
    const byName = { 'Timeout keeper': roles.timeoutKeeper, Everything: roles.everything, 'Client keeper': roles.clientKeeper };
    for (const [role, roleId] of Object.entries(byName)) {
      const created = await api(scoped, 'POST', '/api/v2/oauth/clients', {
        name: `made with ${role}`,
        authorizedGrantType: 'CLIENT-CREDENTIALS',
        roleDivisions: [{ roleId, divisionId: division }],
      });
      made.push(`${role} ${created.status}`);
      if (role !== 'Client keeper' && created.status === 200) {
        const child = json(created);
        const childToken = await token({ id: child.id, secret: child.secret }, { grant_type: 'client_credentials' }).catch(() => null);
        const changed = childToken ? await api(childToken, 'PUT', '/api/v2/tokens/timeout', { enableIdleTokenTimeout: false }) : null;
        beyond.push(`a client with ${role} made (its token's PUT /tokens/timeout: ${changed?.status ?? 'no token'})`);
      }
    }
    log(`${label}: scoped token: ${made.join(', ')}; beyond its scopes: ${beyond.join('; ') || 'nothing'}`);
    findings.check(label, 'a * person through an app scoped oauth: what got beyond its scopes', beyond.length, '0', beyond.length === 0);
    findings.check(
      label,
      'clients made with Timeout keeper, Everything, Client keeper',
      made.join(', '),
      'Timeout keeper 403, Everything 403, Client keeper 200',
      made.join() === 'Timeout keeper 403,Everything 403,Client keeper 200',
    );

    // 2. Refusals leave the idle clock; an admitted request moves it. Read, and moved, on one
    // node: another learns of a use only when its flush reaches the store (once a second) and it
    // next reads the token, so its dateTokenIdles says nothing of this node's requests.
    const idlesAt = async (bearer) => json(await api(bearer, 'GET', '/api/v2/tokens/me?preserveIdleTTL=true', undefined, nodes[0]))?.dateTokenIdles;
    const before = await idlesAt(service);
    await sleep(1100);
    const refused = [];
    for (const operation of ALL_OPERATIONS.filter((op) => op.permissions !== null || op.needsPerson)) {
      const body = ['POST', 'PUT', 'PATCH'].includes(operation.method) ? {} : undefined;
      const response = await api(
        service,
        operation.method,
        operation.path.replace(/:[A-Za-z]+/g, () => randomUUID()),
        body,
      );
      refused.push(response.status);
    }
    const after = await idlesAt(service);
    const wrong = refused.filter((status) => status !== 403 && status !== 400).length;
    await api(service, 'GET', '/api/v2/tokens/timeout', undefined, nodes[0]);
    const moved = await idlesAt(service);
    log(`${label}: ${refused.length} refused operations, idle deadline ${before} → ${after}, after an admitted request ${moved}`);
    findings.check(label, `refused operations (${refused.length}) answered other than 403 or 400`, wrong, '0', wrong === 0);
    findings.check(
      label,
      'idle deadline moved by the refusals',
      before === after ? 'no' : `${before} → ${after}`,
      'no',
      before === after && before !== undefined,
    );
    findings.check(label, 'idle deadline moved by an admitted request', moved !== after ? 'yes' : 'no', 'yes', moved !== after);
  } finally {
    for (const n of nodes) await n.stop();
    await ws.remove();
  }
}
