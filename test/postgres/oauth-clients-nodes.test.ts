/**
 * The OAuth clients API on two tokend processes sharing one PostgreSQL, driven through the
 * official SDK on node A: a client created on A logs in on B at once; a secret regenerated on
 * A is refused on B within the revocation bound; a client deleted on A has its token refused on
 * B within the bound. The times are printed.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import platformClient from 'purecloud-platform-client-v2';
import { clients } from '../helpers/fixture.js';
import { sdkClientFor } from '../helpers/genesys-sdk.js';
import { startNode, type Node } from '../helpers/nodes.js';
import { pgTestDatabase } from '../helpers/pg-template.js';
import type { TestDatabase } from '../helpers/postgres.js';
import { pgSkip } from './pg-gate.js';

/** The bound this project states for cross-node revocation (docs/several-nodes.md). */
const BOUND_MS = 100;
const WILDCARD_ROLE = '11111111-0000-4000-8000-00000000a004';

const skip = await pgSkip({ once: true });

async function login(node: Node, id: string, secret: string): Promise<{ status: number; token?: string }> {
  const response = await fetch(`${node.url}/oauth/token`, {
    method: 'POST',
    headers: { authorization: `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}` },
    body: new URLSearchParams({ grant_type: 'client_credentials' }),
  });
  const body = (await response.json()) as { access_token?: string };
  return { status: response.status, ...(body.access_token ? { token: body.access_token } : {}) };
}

/**
 * When, after now, the first attempt that `check` finds refused began (ms): an attempt's own
 * work (a slow hash at /oauth/token) is not counted against the bound. Fails past `limitMs`.
 */
async function refusedFrom(limitMs: number, check: () => Promise<boolean>): Promise<{ startedAt: number; attempts: number }> {
  const start = performance.now();
  for (let attempts = 1; ; attempts++) {
    const began = performance.now() - start;
    if (await check()) return { startedAt: began, attempts };
    if (began > limitMs) assert.fail(`still accepted ${began.toFixed(0)} ms later`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('the OAuth clients API on two nodes of one PostgreSQL', { skip }, () => {
  let database: TestDatabase;
  let a: Node;
  let b: Node;

  before(async () => {
    database = await pgTestDatabase(true);
    const env = { TOKEND_DATABASE: database.url, TOKEND_RATE_LIMIT: '1000000' };
    [a, b] = await Promise.all([startNode(env), startNode(env)]);
  });
  after(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await database?.drop();
  });

  test('created on A logs in on B at once; regenerated on A is refused on B within the bound; deleted on A ends its token on B', async () => {
    const sdk = sdkClientFor(Number(new URL(a.url).port));
    await sdk.loginClientCredentialsGrant(clients.wildcard.id, clients.wildcard.secret);
    const api = new platformClient.OAuthApi(sdk);
    const division = (await api.getOauthClient(clients.wildcard.id)).roleDivisions?.[0]?.divisionId as string;

    const created = await api.postOauthClients({
      name: 'Made on A',
      authorizedGrantType: 'CLIENT-CREDENTIALS',
      roleDivisions: [{ roleId: WILDCARD_ROLE, divisionId: division }],
    });
    const first = await login(b, created.id as string, created.secret as string);
    assert.equal(first.status, 200, 'the very first login on B, with no wait');
    const token = first.token as string;
    const me = (node: Node) => fetch(`${node.url}/api/v2/tokens/me`, { method: 'HEAD', headers: { authorization: `Bearer ${token}` } });
    assert.equal((await me(b)).status, 200);

    const regenerated = await api.postOauthClientSecret(created.id as string);
    const oldSecret = await refusedFrom(BOUND_MS, async () => (await login(b, created.id as string, created.secret as string)).status === 401);
    assert.equal((await login(b, created.id as string, regenerated.secret as string)).status, 200);

    await api.deleteOauthClient(created.id as string);
    const ended = await refusedFrom(BOUND_MS, async () => (await me(b)).status === 401);
    assert.equal((await login(b, created.id as string, regenerated.secret as string)).status, 401);
    console.log(
      `old secret refused on B by an attempt begun ${oldSecret.startedAt.toFixed(1)} ms after A answered (attempt ${oldSecret.attempts}); the deleted client's token refused on B from ${ended.startedAt.toFixed(1)} ms (attempt ${ended.attempts})`,
    );
  });
});
