/**
 * A disable racing with issuance across two tokend processes on one PostgreSQL (CONTRACT.md,
 * "Control plane": the disable and the issuance cannot interleave, on every node). Tokens are
 * requested on both nodes at once while node B's API disables the client (or a third connection
 * disables the user), then the client or user is enabled again: no token answered 200 before the
 * enable may be accepted after it, on either node. Node A hears of the disable only through a
 * notification, so for a moment it still finds the client active in its cache: only the store's
 * write can refuse its tokens.
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, describe, test } from 'node:test';
import { setUserState } from '../../src/core/admin/users.js';
import { systemClock } from '../../src/core/clock.js';
import { PgStore } from '../../src/store/postgres/pg-store.js';
import { clients, users } from '../helpers/fixture.js';
import { startNode, type Node } from '../helpers/nodes.js';
import { pgTestDatabase } from '../helpers/pg-template.js';
import type { TestDatabase } from '../helpers/postgres.js';
import { pgSkip } from './pg-gate.js';

const skip = await pgSkip({ once: true });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;

/** A POST to /oauth/token from a given loopback address (each sign-in round from an address of its own, below the throttle's caps). */
function tokenRequest(node: Node, client: { id: string; secret: string }, form: Record<string, string>, from = '127.0.0.1') {
  const body = new URLSearchParams(form).toString();
  const url = new URL('/oauth/token', node.url);
  return new Promise<{ status: number; body: Record<string, string> }>((resolve, reject) => {
    const request = http.request(
      {
        host: url.hostname,
        port: url.port,
        method: 'POST',
        path: url.pathname,
        localAddress: from,
        headers: {
          authorization: basic(client.id, client.secret),
          'content-type': 'application/x-www-form-urlencoded',
          'content-length': Buffer.byteLength(body),
        },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString()) }));
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

describe('a disable racing with issuance on two nodes of one PostgreSQL', { skip }, () => {
  let database: TestDatabase;
  let a: Node;
  let b: Node;
  let third: PgStore;

  before(async () => {
    database = await pgTestDatabase(true);
    const env = { TOKEND_DATABASE: database.url, TOKEND_RATE_LIMIT: '1000000000', TOKEND_ISSUE_RATE_LIMIT: '1000000000' };
    [a, b] = await Promise.all([startNode(env), startNode(env)]);
    third = new PgStore(database.url);
    await third.migrate();
  });
  after(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await third?.close();
    await database?.drop();
  });

  /** Tokens of `tokens` that either node accepts now. */
  async function acceptedAnywhere(tokens: readonly string[]): Promise<number> {
    let n = 0;
    for (const token of tokens) {
      for (const node of [a, b]) {
        const response = await fetch(`${node.url}/api/v2/tokens/me`, { method: 'HEAD', headers: { authorization: `Bearer ${token}` } });
        if (response.status === 200) {
          n++;
          break;
        }
      }
    }
    return n;
  }

  test("client credentials on both nodes while node B's API disables the client: nothing comes back with the enable", async () => {
    const admin = await tokenRequest(b, clients.wildcard, { grant_type: 'client_credentials' });
    const api = (state: string) =>
      fetch(`${b.url}/api/v2/oauth/clients/${clients.plain.id}`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${admin.body.access_token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'Plain service', authorizedGrantType: 'CLIENT-CREDENTIALS', state }),
      });
    for (const node of [a, b]) assert.equal((await tokenRequest(node, clients.plain, { grant_type: 'client_credentials' })).status, 200, 'warm');
    let issued = 0;
    let back = 0;
    const refusals = new Set<string>();
    // Eight rounds, and more while no request has yet landed after the disable (a loaded machine
    // may answer all 120 before it): the refusal's words are part of what is checked.
    for (let round = 0; round < 8 || (refusals.size === 0 && round < 40); round++) {
      // Every other round the disable is sent first and the requests race its commit; the others
      // send the requests first and the disable a few ms into them.
      const disableFirst = round % 2 === 1;
      const disabling = disableFirst ? api('disabled') : null;
      const answers = Array.from({ length: 120 }, (_, i) => tokenRequest(i % 2 ? a : b, clients.plain, { grant_type: 'client_credentials' }));
      if (!disableFirst) await sleep((round % 8) * 4);
      assert.equal((await (disabling ?? api('disabled'))).status, 200);
      const responses = await Promise.all(answers);
      assert.equal((await api('active')).status, 200);
      // Both nodes have heard of the enable (the notification bound) before the tokens are tried.
      await sleep(200);
      const tokens = responses.filter((r) => r.status === 200).map((r) => r.body.access_token as string);
      for (const r of responses) if (r.status !== 200) refusals.add(`${r.status} ${r.body.error}: ${r.body.error_description}`);
      issued += tokens.length;
      back += await acceptedAnywhere(tokens);
    }
    assert.ok(issued > 0);
    assert.equal(back, 0, `${back} of ${issued} tokens answered before the enable are accepted after it`);
    assert.deepEqual([...refusals], ['400 unauthorized_client: client is disabled']);
  });

  test('password grants on both nodes while a third connection disables the user: nothing comes back with the enable', async () => {
    const deps = { store: third, clock: systemClock };
    const form = { grant_type: 'password', username: users.dave.email, password: users.dave.password };
    let issued = 0;
    let back = 0;
    for (let round = 0; round < 4; round++) {
      const from = `127.0.${round + 10}.1`;
      const answers = Array.from({ length: 8 }, (_, i) => tokenRequest(i % 2 ? a : b, clients.passwordApp, form, from));
      await sleep(5 + round * 20);
      await setUserState(deps, users.dave.id, 'inactive');
      const responses = await Promise.all(answers);
      await setUserState(deps, users.dave.id, 'active');
      await sleep(200);
      for (const r of responses) if (r.status !== 200) assert.deepEqual([r.status, r.body.error], [400, 'invalid_grant'], JSON.stringify(r.body));
      const tokens = responses.filter((r) => r.status === 200).map((r) => r.body.access_token as string);
      issued += tokens.length;
      back += await acceptedAnywhere(tokens);
    }
    assert.equal(back, 0, `${back} of ${issued} tokens answered before the enable are accepted after it`);
  });
});
