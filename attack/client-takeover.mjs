/**
 * Attack 9, client takeover: a client holding only `oauth:client:*` goes after two clients that
 * hold `*`, one active and one disabled, through the OAuth clients API of a real server. It
 * regenerates the stronger one's secret (and, given one, signs in with it and changes the idle
 * timeout, which needs `directory:organization:admin`), wakes the disabled one by PUT
 * state=active and signs in with its known secret, renames it, strips its roles, disables it and
 * deletes it. Every one of these must be 403 and leave the target as it was (CONTRACT.md,
 * "Control plane", ours: a caller may change only a client whose every role it holds). The same
 * requests on a client whose roles the caller holds must still succeed, so the refusals are the
 * rule's and not a broken API. On PostgreSQL the requests alternate between two nodes.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { json, send, tokenRequest } from './lib/http.mjs';
import { ON_POSTGRES } from './lib/postgres.mjs';
import { log } from './lib/report.mjs';
import { startNodes, workspace } from './lib/tokend.mjs';

export const key = 'takeover';
export const title = '13 client takeover';

const secret = () => randomBytes(18).toString('base64url');

function takeoverSeed() {
  const admin = { id: randomUUID(), secret: secret() };
  const root = { id: randomUUID(), secret: secret() };
  const dormant = { id: randomUUID(), secret: secret() };
  const peer = { id: randomUUID(), secret: secret() };
  const seed = {
    organizations: [
      {
        name: 'Takeover',
        roles: [
          { name: 'Client admin', permissions: ['oauth:client:*'] },
          { name: 'Everything', permissions: ['*'] },
        ],
        clients: [
          { id: admin.id, name: 'Client admin', secret: admin.secret, authorizedGrantType: 'CLIENT-CREDENTIALS', roles: ['Client admin'] },
          { id: root.id, name: 'Root', secret: root.secret, authorizedGrantType: 'CLIENT-CREDENTIALS', roles: ['Everything'] },
          { id: dormant.id, name: 'Dormant root', secret: dormant.secret, authorizedGrantType: 'CLIENT-CREDENTIALS', roles: ['Everything'], state: 'disabled' },
          { id: peer.id, name: 'Peer', secret: peer.secret, authorizedGrantType: 'CLIENT-CREDENTIALS', roles: ['Client admin'] },
        ],
      },
    ],
  };
  return { seed, admin, root, dormant, peer };
}

export async function run(findings) {
  const label = `${title}${ON_POSTGRES ? ', 2 nodes' : ''}`;
  const { seed, admin, root, dormant, peer } = takeoverSeed();
  const ws = await workspace(key, seed);
  const nodes = await startNodes(ON_POSTGRES ? 2 : 1, { database: ws.database, seedFile: ws.seedFile });
  let turn = 0;
  const node = () => nodes[turn++ % nodes.length];
  try {
    const tokenOf = async (client) => {
      const response = await tokenRequest(node(), '127.0.0.1', client.id, client.secret, { grant_type: 'client_credentials' });
      return response.status === 200 ? json(response).access_token : null;
    };
    const adminToken = await tokenOf(admin);
    if (!adminToken) throw new Error('the client admin got no token');
    const api = (method, path, body) =>
      send(node(), {
        method,
        path,
        headers: { authorization: `Bearer ${adminToken}`, ...(body ? { 'content-type': 'application/json' } : {}) },
        ...(body ? { body: JSON.stringify(body) } : {}),
      });
    const read = async (id) => json(await api('GET', `/api/v2/oauth/clients/${id}`));
    const home = (await read(peer.id)).roleDivisions[0].divisionId;
    const everything = (await read(root.id)).roleDivisions;
    const put = (id, fields) => api('PUT', `/api/v2/oauth/clients/${id}`, { name: 'Taken', authorizedGrantType: 'CLIENT-CREDENTIALS', ...fields });

    /** Every takeover request against one client; each answer, and what it gained. */
    const attempts = (target) => [
      ['regenerate the secret', () => api('POST', `/api/v2/oauth/clients/${target.id}/secret`)],
      ['PUT state=active', () => put(target.id, { roleDivisions: everything, state: 'active' })],
      ['PUT a new name, roles kept', () => put(target.id, { roleDivisions: everything })],
      ['PUT without its roles', () => put(target.id, {})],
      ['PUT state=disabled', () => put(target.id, { roleDivisions: everything, state: 'disabled' })],
      ['DELETE', () => api('DELETE', `/api/v2/oauth/clients/${target.id}`)],
    ];
    let requests = 0;
    let stolenSecret = null;
    const accepted = [];
    const refusedRight = [];
    for (const [name, target] of [
      ['active * client', root],
      ['disabled * client', dormant],
    ]) {
      stolenSecret = null;
      const before = await read(target.id);
      for (const [what, request] of attempts(target)) {
        const response = await request();
        requests++;
        const body = json(response);
        if (response.status !== 403 || body?.code !== 'missing.permissions') accepted.push(`${name}: ${what} → ${response.status}`);
        else if (body.messageParams?.permissions !== '*') refusedRight.push(`${name}: ${what} names ${body.messageParams?.permissions}`);
        if (response.status === 200 && body?.secret) {
          // What the issue saw: the new secret signs in, and the token changes the idle timeout.
          const stolen = await tokenOf({ id: target.id, secret: body.secret });
          const timeout = stolen
            ? await send(node(), {
                method: 'PUT',
                path: '/api/v2/tokens/timeout',
                headers: { authorization: `Bearer ${stolen}`, 'content-type': 'application/json' },
                body: JSON.stringify({ enableIdleTokenTimeout: true, idleTokenTimeoutSeconds: 300 }),
              })
            : null;
          accepted.push(`${name}: the regenerated secret ${stolen ? `signed in, PUT /tokens/timeout ${timeout.status}` : 'did not sign in'}`);
          stolenSecret = body.secret;
        }
        if (what === 'PUT state=active' && response.status === 200) {
          const woken = await tokenOf({ id: target.id, secret: stolenSecret ?? target.secret });
          accepted.push(`${name}: woken, ${woken ? 'it signs in' : 'yet it gets no token'}`);
        }
      }
      const after = await read(target.id);
      if (JSON.stringify(after) !== JSON.stringify(before)) accepted.push(`${name}: changed (${after?.state}, ${after?.name})`);
      // The active one's own secret still signs in; the disabled one still gets no token.
      const signsIn = (await tokenOf(target)) !== null;
      if (signsIn !== (target === root)) accepted.push(`${name}: its own secret ${signsIn ? 'signs in' : 'no longer signs in'}`);
    }
    log(`${label}: ${requests} takeover requests, ${accepted.length} got through: ${accepted.join('; ') || 'none'}`);
    findings.check(
      label,
      `takeover requests on * clients by an oauth:client:* client (${requests}): requests or effects that got through`,
      accepted.length,
      '0',
      accepted.length === 0,
    );
    findings.check(
      label,
      'refusals naming the lacking permission (*)',
      refusedRight.length ? refusedRight.join('; ') : 'all',
      'all',
      refusedRight.length === 0,
    );

    // The same requests on a client whose roles the caller holds: the API itself still works.
    const peerAnswers = [
      (await api('POST', `/api/v2/oauth/clients/${peer.id}/secret`)).status,
      (await put(peer.id, { name: 'Peer', roleDivisions: [{ roleId: (await read(peer.id)).roleDivisions[0].roleId, divisionId: home }], state: 'disabled' }))
        .status,
      (await put(peer.id, { name: 'Peer', state: 'active' })).status,
      (await api('DELETE', `/api/v2/oauth/clients/${peer.id}`)).status,
    ];
    findings.check(
      label,
      'the same changes of a client whose roles the caller holds',
      peerAnswers.join(', '),
      '200, 200, 200, 204',
      peerAnswers.join() === '200,200,200,204',
    );
  } finally {
    for (const n of nodes) await n.stop();
    await ws.remove();
  }
}
