/**
 * The standard OAuth endpoints on two tokend processes sharing one PostgreSQL, started by the
 * command line as an operator starts them (TOKEND_PUBLIC_URL from the environment): a token
 * revoked at /oauth/revoke on node A is refused on B within the revocation bound, and B's
 * introspection says so; each node's metadata names the public URL it was given.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import * as oidc from 'openid-client';
import { clients } from '../helpers/fixture.js';
import { startNode, type Node } from '../helpers/nodes.js';
import { pgTestDatabase } from '../helpers/pg-template.js';
import type { TestDatabase } from '../helpers/postgres.js';
import { pgSkip } from './pg-gate.js';

/** The bound this project states for cross-node revocation (docs/several-nodes.md). */
const BOUND_MS = 100;
const PUBLIC_URL = 'https://tokend.example.com/auth';

const skip = await pgSkip({ once: true });
const basic = (client: { id: string; secret: string }) => `Basic ${Buffer.from(`${client.id}:${client.secret}`).toString('base64')}`;

describe('the standard OAuth endpoints on two nodes of one PostgreSQL', { skip }, () => {
  let database: TestDatabase;
  let a: Node;
  let b: Node;

  before(async () => {
    database = await pgTestDatabase(true);
    const env = { TOKEND_DATABASE: database.url, TOKEND_PUBLIC_URL: `${PUBLIC_URL}/` };
    [a, b] = await Promise.all([startNode(env), startNode(env)]);
  });
  after(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await database?.drop();
  });

  test('the issuer is TOKEND_PUBLIC_URL, not where the node listens', async () => {
    for (const node of [a, b]) {
      const metadata = await (await fetch(`${node.url}/.well-known/oauth-authorization-server`)).json();
      assert.equal(metadata.issuer, PUBLIC_URL);
      assert.equal(metadata.introspection_endpoint, `${PUBLIC_URL}/oauth/introspect`);
    }
  });

  test("revoked on A, refused on B within the bound, and inactive at B's introspection", async () => {
    const issued = await fetch(`${a.url}/oauth/token`, {
      method: 'POST',
      headers: { authorization: basic(clients.plain) },
      body: new URLSearchParams({ grant_type: 'client_credentials' }),
    });
    const token = ((await issued.json()) as { access_token: string }).access_token;
    // openid-client, configured by hand: the metadata names a public URL these nodes are not behind.
    const server = { issuer: PUBLIC_URL, introspection_endpoint: `${b.url}/oauth/introspect`, revocation_endpoint: `${a.url}/oauth/revoke` };
    const options = { execute: [oidc.allowInsecureRequests] };
    const plain = new oidc.Configuration(server, clients.plain.id, undefined, oidc.ClientSecretBasic(clients.plain.secret));
    const admin = new oidc.Configuration(server, clients.admin.id, undefined, oidc.ClientSecretBasic(clients.admin.secret));
    for (const config of [plain, admin]) for (const apply of options.execute) apply(config);
    const onB = () => fetch(`${b.url}/api/v2/tokens/me`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal((await onB()).status, 200, 'B has it cached');
    assert.equal((await oidc.tokenIntrospection(admin, token)).active, true);
    await oidc.tokenRevocation(plain, token);
    const start = performance.now();
    for (;;) {
      const elapsed = performance.now() - start;
      if ((await onB()).status === 401) break;
      if (elapsed > BOUND_MS) assert.fail(`still accepted on B ${elapsed.toFixed(0)} ms after the revocation on A`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    process.stdout.write(`# refused on B ${(performance.now() - start).toFixed(0)} ms after the revocation on A answered\n`);
    assert.deepEqual({ ...(await oidc.tokenIntrospection(admin, token)) }, { active: false });
  });
});
