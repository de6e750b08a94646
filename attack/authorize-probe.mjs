/**
 * Attack 9, probing client ids at `/oauth/authorize` (issue 22, item 9; issue 26): 3,000 random
 * ids and 3,000 requests naming the one real app with a redirect URI it never registered. Every
 * answer must be the same page with the same status and the same headers (apart from the date
 * and the correlation id), linking to no app; the two kinds must take about as long (medians
 * within 25% or 2 ms of each other: reading a known client once took a second round trip to the
 * database, 8 ms on PostgreSQL), so neither the page nor its delay tells which ids exist.
 */
import { randomUUID } from 'node:crypto';
import { consentSeed } from './lib/consent-seed.mjs';
import { address, percentile, pool, send } from './lib/http.mjs';
import { log, ms } from './lib/report.mjs';
import { startTokend, workspace } from './lib/tokend.mjs';

const BLOCK = 9;
const PER_KIND = 3000;
const CONCURRENCY = 16;
const BUDGET_MS = 60_000;
const NONCES = new Set(['date', 'inin-correlation-id', 'genesys-correlation-id', 'connection', 'keep-alive']);

export const key = 'probe';
export const title = '10 client-id probing at /oauth/authorize';

export async function run(findings) {
  const { seed, app } = consentSeed();
  const ws = await workspace(key, seed);
  const server = await startTokend({ database: ws.database, seedFile: ws.seedFile });
  try {
    const answers = new Map();
    const timings = { unknown: [], known: [] };
    let odd = 0;
    const started = performance.now();
    // Interleaved, so that both kinds meet the same load.
    const sent = await pool(
      2 * PER_KIND,
      CONCURRENCY,
      async (i) => {
        const kind = i % 2 === 0 ? 'unknown' : 'known';
        const query = new URLSearchParams({
          client_id: kind === 'unknown' ? randomUUID() : app.id,
          redirect_uri: `https://probe.example/${randomUUID()}`,
          response_type: 'code',
          state: 's',
        });
        const response = await send(server, { from: address(BLOCK, i % 8), path: `/oauth/authorize?${query}` });
        if (response.error) {
          odd++;
          return;
        }
        timings[kind].push(response.ms);
        const headers = Object.entries(response.headers)
          .filter(([name]) => !NONCES.has(name))
          .sort(([a], [b]) => (a < b ? -1 : 1));
        const shape = JSON.stringify([response.status, headers, response.body]);
        answers.set(shape, (answers.get(shape) ?? 0) + 1);
      },
      Date.now() + BUDGET_MS,
    );
    const seconds = (performance.now() - started) / 1000;
    const [only] = answers.keys();
    const [status, , body] = only ? JSON.parse(only) : [0, [], ''];
    log(`${title}: ${sent} requests in ${seconds.toFixed(1)} s, ${answers.size} distinct answer(s)`);
    findings.check(
      title,
      `answers to ${PER_KIND} unknown ids and ${PER_KIND} unregistered redirect URIs of the real app`,
      `${sent - odd} answered, ${answers.size} distinct (status ${status})`,
      `${2 * PER_KIND} answered, 1 distinct, 400`,
      sent === 2 * PER_KIND && odd === 0 && answers.size === 1 && status === 400,
    );
    // tokend's own pages (its home) may be linked; nothing that leaves this server: no absolute or
    // scheme-relative URL, no form posting elsewhere.
    const targets = [...body.matchAll(/(?:href|action|src)="([^"]*)"/g)].map((match) => match[1]);
    const leaves = targets.filter((target) => !/^\/(?!\/)/.test(target));
    findings.check(title, 'the page links to an app', leaves.length > 0 ? `yes: ${leaves.join(' ')}` : 'no', 'no', leaves.length === 0 && targets.length > 0);
    const unknown = percentile(timings.unknown, 50);
    const known = percentile(timings.known, 50);
    const close = Math.abs(unknown - known) <= Math.max(2, 0.25 * Math.min(unknown, known));
    findings.check(title, 'median answer time, unknown id vs. real app', `${ms(unknown)} vs ${ms(known)}`, 'within 25% or 2 ms', close);
    findings.note(title, 'rate (no throttle needed: the answers are all alike)', `${Math.round(sent / seconds)} requests/s`);
  } finally {
    await server.stop();
    await ws.remove();
  }
}
