/**
 * Attack 10, disable races: tokens requested while their client or user is being disabled must
 * not come back when it is enabled again (CONTRACT.md, "Control plane": the disable and the
 * issuance cannot interleave, on every node). Client credentials: 150 requests at once, spread
 * over the nodes, while another node's API disables the client by PUT state=disabled, then
 * enables it; password grants: sign-ins of one person, 8 at a time (each from an address of its
 * own, below the throttle) while `tokend users disable`, a process of its own, disables them,
 * then `tokend users enable`. After each enable every token answered 200 is tried on every node:
 * any accepted is a token that came back. Each refusal must be the grant's answer for a disabled
 * client or user. On SQLite one node (the command line is the other process on the file); on
 * PostgreSQL two.
 */
import { spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { address, json, send, sleep, tokenRequest } from './lib/http.mjs';
import { ON_POSTGRES } from './lib/postgres.mjs';
import { log, tally } from './lib/report.mjs';
import { CLI, startNodes, workspace } from './lib/tokend.mjs';

export const key = 'reenable';
export const title = '14 disable races';

const BLOCK = 10;
const CLIENT_ROUNDS = 12;
const CLIENT_BURST = 150;
const USER_ROUNDS = 4;
/** Sign-ins in flight at once while the disable runs: below the queue of slow hashes (16 waiting). */
const SIGN_INS_AT_ONCE = 8;
const ANSWER_WITHIN_MS = 30_000;
// Every node hears of an enable within the revocation bound; tokens are tried after this.
const SETTLE_MS = 300;

const secret = () => randomBytes(18).toString('base64url');

function raceSeed() {
  const admin = { id: randomUUID(), secret: secret() };
  const service = { id: randomUUID(), secret: secret() };
  const passwordApp = { id: randomUUID(), secret: secret() };
  const people = Array.from({ length: USER_ROUNDS }, (_, i) => ({ id: randomUUID(), email: `racer-${i}@attack.example`, password: secret() }));
  const seed = {
    organizations: [
      {
        name: 'Disable races',
        roles: [
          { name: 'Client admin', permissions: ['oauth:client:*'] },
          { name: 'Employee', permissions: [] },
        ],
        users: people.map((p, i) => ({ id: p.id, name: `Racer ${i}`, email: p.email, password: p.password, roles: ['Employee'] })),
        clients: [
          { id: admin.id, name: 'Client admin', secret: admin.secret, authorizedGrantType: 'CLIENT-CREDENTIALS', roles: ['Client admin'] },
          { id: service.id, name: 'Raced service', secret: service.secret, authorizedGrantType: 'CLIENT-CREDENTIALS', roles: ['Employee'] },
          { id: passwordApp.id, name: 'Raced password app', secret: passwordApp.secret, authorizedGrantType: 'PASSWORD', scope: [] },
        ],
      },
    ],
  };
  return { seed, admin, service, passwordApp, people };
}

/** `tokend users disable|enable <id>` on the store, as an operator runs it; resolves when it exits. */
function cli(database, ...args) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args, '--database', database], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`tokend ${args.join(' ')} exited ${code}: ${stderr}`))));
  });
}

/** How many of `tokens` some node accepts now. */
async function cameBack(nodes, tokens) {
  let back = 0;
  for (const token of tokens) {
    for (const node of nodes) {
      const response = await send(node, { method: 'HEAD', path: '/api/v2/tokens/me', headers: { authorization: `Bearer ${token}` } });
      if (response.status === 200) {
        back++;
        break;
      }
    }
  }
  return back;
}

const outcome = (response) => {
  if (response.error) return `error ${response.error}`;
  const body = json(response);
  return response.status === 200 && body?.access_token ? 'issued' : `${response.status} ${body?.error}: ${body?.error_description}`;
};

export async function run(findings) {
  const label = `${title}${ON_POSTGRES ? ', 2 nodes' : ''}`;
  const { seed, admin, service, passwordApp, people } = raceSeed();
  const ws = await workspace(key, seed);
  const env = { TOKEND_ISSUE_RATE_LIMIT: String(1e9), TOKEND_RATE_LIMIT: String(1e9) };
  const nodes = await startNodes(ON_POSTGRES ? 2 : 1, { database: ws.database, seedFile: ws.seedFile, env });
  const adminNode = nodes[nodes.length - 1];
  try {
    await clientRace(findings, label, nodes, adminNode, admin, service);
    await userRace(findings, label, nodes, ws.database, passwordApp, people);
  } finally {
    for (const node of nodes) await node.stop();
    await ws.remove();
  }
}

async function clientRace(findings, label, nodes, adminNode, admin, service) {
  const adminToken = json(await tokenRequest(adminNode, '127.0.0.1', admin.id, admin.secret, { grant_type: 'client_credentials' }))?.access_token;
  if (!adminToken) throw new Error('the client admin got no token');
  const setState = async (state) => {
    const response = await send(adminNode, {
      method: 'PUT',
      path: `/api/v2/oauth/clients/${service.id}`,
      headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Raced service', authorizedGrantType: 'CLIENT-CREDENTIALS', state }),
    });
    if (response.status !== 200) throw new Error(`PUT state=${state}: ${response.status} ${response.body}`);
  };
  // Each node remembers the secret's digest from here on: requests are answered at once, not after a slow hash.
  for (const node of nodes) await tokenRequest(node, '127.0.0.1', service.id, service.secret, { grant_type: 'client_credentials' });
  let issued = 0;
  let back = 0;
  const answers = [];
  for (let round = 0; round < CLIENT_ROUNDS; round++) {
    const burst = Array.from({ length: CLIENT_BURST }, (_, i) =>
      tokenRequest(nodes[i % nodes.length], address(BLOCK, i % 50), service.id, service.secret, { grant_type: 'client_credentials' }, ANSWER_WITHIN_MS),
    );
    await sleep(round % 6);
    await setState('disabled');
    const responses = await Promise.all(burst);
    await setState('active');
    await sleep(SETTLE_MS);
    const tokens = responses.filter((r) => outcome(r) === 'issued').map((r) => json(r).access_token);
    issued += tokens.length;
    back += await cameBack(nodes, tokens);
    answers.push(...responses.map(outcome));
  }
  const counts = tally(answers);
  log(`${label}: client credentials: ${JSON.stringify(counts)}; ${back} of ${issued} came back`);
  findings.check(
    label,
    `client tokens answered 200 around a disable that an enable brought back (${CLIENT_ROUNDS} rounds of ${CLIENT_BURST})`,
    `${back} of ${issued}`,
    '0',
    back === 0 && issued > 0,
  );
  const odd = Object.keys(counts).filter((o) => o !== 'issued' && o !== '400 unauthorized_client: client is disabled');
  findings.check(label, 'client-credentials answers other than a token or "client is disabled"', odd.length ? odd.join('; ') : 0, '0', odd.length === 0);
}

async function userRace(findings, label, nodes, database, passwordApp, people) {
  let issued = 0;
  let back = 0;
  let sent = 0;
  const answers = [];
  for (const [round, person] of people.entries()) {
    let disabling = true;
    const disabled = cli(database, 'users', 'disable', person.id).finally(() => {
      disabling = false;
    });
    // Sign-ins, a few at a time, keep coming while the command line starts, opens the store and
    // disables: some are always between their check and their write (a slow hash) when it commits.
    const responses = [];
    let next = 0;
    const signIns = async () => {
      while (disabling) {
        const i = next++;
        const from = address(BLOCK + 1 + round, i);
        const form = { grant_type: 'password', username: person.email, password: person.password };
        responses.push(await tokenRequest(nodes[i % nodes.length], from, passwordApp.id, passwordApp.secret, form, ANSWER_WITHIN_MS));
      }
    };
    await Promise.all([disabled, ...Array.from({ length: SIGN_INS_AT_ONCE }, signIns)]);
    sent += responses.length;
    await cli(database, 'users', 'enable', person.id);
    await sleep(SETTLE_MS);
    const tokens = responses.filter((r) => outcome(r) === 'issued').map((r) => json(r).access_token);
    issued += tokens.length;
    back += await cameBack(nodes, tokens);
    answers.push(...responses.map(outcome));
  }
  const counts = tally(answers);
  log(`${label}: password grants: ${JSON.stringify(counts)}; ${back} of ${issued} came back`);
  // Sign-ins in flight when the disable commits are refused (or, before the fix, issued): how many succeed depends on the timing.
  findings.check(
    label,
    `user tokens answered 200 around \`tokend users disable\` that \`users enable\` brought back (${sent} sign-ins, ${USER_ROUNDS} rounds)`,
    `${back} of ${issued}`,
    '0',
    back === 0 && sent > 0,
  );
  // A disabled person's sign-ins are failures: past the cap they are throttled; a full queue of slow hashes turns some away.
  const refusals = /^(400 invalid_grant: (invalid username or password|too many failed sign-ins; retry in \d+ seconds)|429 temporarily_unavailable: .*)$/;
  const odd = Object.keys(counts).filter((o) => o !== 'issued' && !refusals.test(o));
  findings.check(label, 'password-grant answers other than a token or invalid_grant', odd.length ? odd.join('; ') : 0, '0', odd.length === 0);
}
