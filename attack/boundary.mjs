/**
 * Attack 8, the boundary (issue 22): what a caller sends at the edge of the server, where one
 * layer reads a request differently from another. Each part below runs against one real
 * `tokend serve` and reports a figure per check:
 * - metrics through a same-host proxy: `GET /metrics` from loopback carrying each proxy header
 *   (`Forwarded`, `X-Forwarded-For`, `X-Real-IP`, `Via`) must get the 404 of an unknown path.
 */
import { send } from './lib/http.mjs';
import { campaignSeed } from './lib/seed.mjs';
import { startTokend, workspace } from './lib/tokend.mjs';

export const key = 'boundary';
export const title = '8 boundary';

export async function run(findings) {
  const { seed } = campaignSeed({ users: 1 });
  const ws = await workspace(key, seed);
  const server = await startTokend({ database: ws.database, seedFile: ws.seedFile });
  try {
    await metricsThroughProxy(findings, server);
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
