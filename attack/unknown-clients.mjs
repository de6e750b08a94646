/**
 * Attack 3, a flood of unknown client ids: 20,000 distinct random ids at `/oauth/token` from a few
 * addresses. Nothing a caller sends may grow the server's memory without bound (issue 13, item 3:
 * today every id ever sent stays in a cache), every answer is 401 invalid_client or 429 with
 * Retry-After, and the real client still gets its token afterwards, from its own address and a
 * fresh one; a flooding address, at its cap, gets 429 even for the right secret.
 */
import { checkOnlyVerdictsAndThrottles, clientCredentials, randomClientId, randomSecret } from './lib/client-auth.mjs';
import { address, pool, sleep } from './lib/http.mjs';
import { log, mib, tally } from './lib/report.mjs';
import { campaignSeed } from './lib/seed.mjs';
import { startTokend, workspace } from './lib/tokend.mjs';

const BLOCK = 3;
const IDS = 20_000;
const ADDRESSES = 4;
const CONCURRENCY = 64;
const BUDGET_MS = 60_000;
const RSS_GROWTH_LIMIT = 64 * 2 ** 20;
const PER_ADDRESS = 20;

export const key = 'flood';
export const title = '3 unknown-client flood';

export async function run(findings) {
  const { seed, service } = campaignSeed();
  const ws = await workspace(key, seed);
  const server = await startTokend({ database: ws.database, seedFile: ws.seedFile });
  try {
    const warm = await clientCredentials(server, address(BLOCK, 0), service.id, service.secret);
    if (warm.outcome !== 'issued') throw new Error(`the service's first token was refused: ${warm.outcome}`);
    await sleep(500);
    const rssBefore = server.rss();
    let rssPeak = rssBefore;
    const sampler = setInterval(() => {
      if (server.alive()) rssPeak = Math.max(rssPeak, server.rss());
    }, 250);

    const outcomes = [];
    const started = performance.now();
    const sent = await pool(
      IDS,
      CONCURRENCY,
      async (i) => {
        const { outcome } = await clientCredentials(server, address(BLOCK, 1 + (i % ADDRESSES)), randomClientId(), randomSecret(), 10_000);
        outcomes.push(outcome);
      },
      Date.now() + BUDGET_MS,
    );
    const seconds = (performance.now() - started) / 1000;
    clearInterval(sampler);
    const alive = server.alive();
    const rssAfter = alive ? server.rss() : Number.NaN;
    const counts = tally(outcomes);
    log(`${title}: ${JSON.stringify(counts)} in ${seconds.toFixed(1)} s`);

    findings.check(
      title,
      `distinct unknown ids answered (${ADDRESSES} addresses, ${CONCURRENCY} at a time, ${BUDGET_MS / 1000} s budget)`,
      `${outcomes.length} in ${seconds.toFixed(1)} s`,
      `${IDS}`,
      outcomes.length === IDS,
    );
    checkOnlyVerdictsAndThrottles(findings, title, counts);
    findings.note(title, 'answers', `${counts.verdict ?? 0} invalid_client, ${counts.throttled ?? 0} throttled`);
    findings.check(
      title,
      'server RSS growth (VmRSS after − before)',
      `${mib(rssAfter - rssBefore)} (${mib(rssBefore)} → ${mib(rssAfter)}, peak ${mib(rssPeak)})`,
      `≤ ${mib(RSS_GROWTH_LIMIT)}`,
      alive && rssAfter - rssBefore <= RSS_GROWTH_LIMIT,
    );
    if (sent < IDS) log(`${title}: ${IDS - sent} ids not sent within the budget`);

    const own = await clientCredentials(server, address(BLOCK, 0), service.id, service.secret, 10_000);
    findings.check(title, "right secret afterwards, the service's own address", own.outcome, 'issued', own.outcome === 'issued');
    const fresh = await clientCredentials(server, address(BLOCK, 100), service.id, service.secret, 10_000);
    findings.check(title, 'right secret afterwards, fresh address', fresh.outcome, 'issued', fresh.outcome === 'issued');
    // A flooding address once at its cap of 20 failures (most of the flood was turned away by the
    // full queue, which counts nothing): it learns nothing more, whatever it sends.
    const flooder = address(BLOCK, 1);
    let capped = false;
    for (let i = 0; i < 2 * PER_ADDRESS && !capped; i++) capped = (await clientCredentials(server, flooder, randomClientId(), randomSecret(), 10_000)).capped;
    const flooded = await clientCredentials(server, flooder, service.id, service.secret, 10_000);
    findings.check(
      title,
      `right secret afterwards, from a flooding address at its cap of ${PER_ADDRESS}`,
      `${flooded.outcome}${capped ? '' : ' (the address never reached its cap)'}`,
      'throttled',
      capped && flooded.capped,
    );
  } finally {
    await server.stop();
    await ws.remove();
  }
}
