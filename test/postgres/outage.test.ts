/**
 * PostgreSQL taken away mid-traffic through a TCP proxy the test controls: every request that
 * needs the database gets 503 `service.unavailable` (a cached token too: with the notification
 * connection down the cache is not trusted), never a 500 and never an unchecked 200;
 * /health/ready says 503; and the node recovers by itself when the database returns.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { PgStore } from '../../src/store/postgres/pg-store.js';
import { basic, bearer } from '../helpers/app.js';
import { clients } from '../helpers/fixture.js';
import { databaseUrl } from '../helpers/postgres.js';
import { type CutMode, closeProxiedPgApp, type ProxiedPgApp, proxiedPgApp, type TcpProxy } from '../helpers/tcp-proxy.js';
import { until } from '../helpers/until.js';
import { pgSkip } from './pg-gate.js';

const skip = await pgSkip({ once: true });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

for (const mode of ['reset', 'blackhole'] as CutMode[]) {
  describe(`database outage (${mode === 'reset' ? 'connections reset' : 'silent network failure'})`, { skip }, () => {
    const proxied: Partial<ProxiedPgApp> = {};
    let proxy: TcpProxy;
    let app: FastifyInstance;

    before(async () => {
      ({ proxy, app } = await proxiedPgApp(proxied));
    });
    after(() => closeProxiedPgApp(proxied));

    const inject = (method: 'GET' | 'POST', url: string, headers: Record<string, string> = {}, payload?: string) =>
      app.inject({ method, url, headers, ...(payload === undefined ? {} : { payload }) });
    const token = async () => {
      const response = await inject(
        'POST',
        '/oauth/token',
        { authorization: basic(clients.admin.id, clients.admin.secret), 'content-type': 'application/x-www-form-urlencoded' },
        'grant_type=client_credentials',
      );
      assert.equal(response.statusCode, 200, response.body);
      return response.json().access_token as string;
    };

    test('503 while unreachable, readiness flips, recovery without restart', async () => {
      const store = app.tokend.store as PgStore;
      const cached = await token();
      const revokedMeanwhile = await token();
      for (const t of [cached, revokedMeanwhile]) assert.equal((await inject('GET', '/api/v2/tokens/me', bearer(t))).statusCode, 200);
      assert.equal((await inject('GET', '/health/ready')).statusCode, 200);

      // Traffic keeps flowing while the database goes away and comes back.
      const seen = new Map<number, number>();
      let traffic = true;
      const load = (async () => {
        while (traffic) {
          const status = (await inject('GET', '/api/v2/tokens/me', bearer(cached))).statusCode;
          seen.set(status, (seen.get(status) ?? 0) + 1);
          await sleep(2);
        }
      })();

      proxy.cut(mode);
      const noticed = await until(() => !store.notificationsTrusted, 2000);
      const during = await inject('GET', '/api/v2/tokens/me', bearer(cached));
      assert.equal(during.statusCode, 503, 'a cached token is not accepted while it cannot be checked');
      assert.equal(during.json().code, 'service.unavailable');
      assert.equal(during.headers['retry-after'], '1');
      assert.notEqual(store.changeVersion(), store.changeVersion(), 'no cache is trusted while deaf');
      const issue = await inject(
        'POST',
        '/oauth/token',
        { authorization: basic(clients.admin.id, clients.admin.secret), 'content-type': 'application/x-www-form-urlencoded' },
        'grant_type=client_credentials',
      );
      assert.equal(issue.statusCode, 503);
      assert.equal(issue.json().error, 'temporarily_unavailable');
      assert.equal((await inject('GET', '/health/ready')).statusCode, 503);

      // Revoked behind the node's back (another node, a tool) while it cannot hear about it.
      const { default: pg } = await import('pg');
      const direct = new pg.Client(databaseUrl((proxied as ProxiedPgApp).database.name));
      await direct.connect();
      const { hashToken } = await import('../../src/core/secrets.js');
      await direct.query('UPDATE tokens SET revoked_at_ms = $1 WHERE hash = $2', [Date.now(), hashToken(revokedMeanwhile)]);
      await direct.end();

      await sleep(300);
      const statusesWhileDown = new Map(seen);
      proxy.restore();
      const recovered = await until(async () => (await inject('GET', '/health/ready')).statusCode === 200, 10_000);
      await until(() => store.notificationsTrusted, 10_000);
      traffic = false;
      await load;

      assert.equal((await inject('GET', '/api/v2/tokens/me', bearer(cached))).statusCode, 200, 'recovered without a restart');
      assert.equal((await inject('GET', '/api/v2/tokens/me', bearer(revokedMeanwhile))).statusCode, 401, 'a revocation missed while deaf is seen after resync');
      assert.equal((await token()).length > 0, true);
      for (const status of seen.keys()) assert.ok(status === 200 || status === 503, `unexpected status ${status} under outage`);
      assert.ok((statusesWhileDown.get(503) ?? 0) > 0, 'traffic saw the outage');
      process.stdout.write(
        `# outage (${mode}): cut noticed in ${noticed.toFixed(0)} ms; ready again ${recovered.toFixed(0)} ms after the database returned; statuses under traffic ${JSON.stringify(Object.fromEntries(seen))}\n`,
      );
    });
  });
}
