/**
 * Attack 4, secret guessing at `/oauth/token` (issue 13, item 4; issue 22, item 2):
 * - timing: a wrong secret for a client whose digest is remembered must cost what an unknown
 *   client costs, so one answer does not tell whether an id exists and is in use;
 * - rate: failed client authentication is throttled per client id and per address (5 and 20 in
 *   15 minutes, 50 per client from all addresses), unknown ids exactly like known ones;
 * - a cap answers 429 whatever the secret: past it, guesses at line rate with the right secret
 *   among them, from the capped address or from fresh ones, learn nothing (the remembered
 *   secret was an oracle at thousands of guesses a second); the service still gets in from its
 *   own address, which it authenticated from before, after a restart too;
 * - a burst of wrong secrets from many addresses cannot pin the CPU: past a bounded queue of
 *   slow hashes the answer is 429 with Retry-After, and a token check stays fast meanwhile.
 */
import { scryptSync } from 'node:crypto';
import { checkOnlyVerdictsAndThrottles, clientCredentials, randomClientId, randomSecret } from './lib/client-auth.mjs';
import { address, percentile, pool, send, sleep } from './lib/http.mjs';
import { log, ms, tally } from './lib/report.mjs';
import { campaignSeed } from './lib/seed.mjs';
import { startTokend, workspace } from './lib/tokend.mjs';

const BLOCK = 4;
const TIMING_SAMPLES = 20;
const RATE_ATTEMPTS = 100;
const PER_CLIENT_ADDRESS = 5;
const PER_ADDRESS = 20;
const PER_CLIENT = 50;
const SPREAD_ADDRESSES = 15;
const BURST_ADDRESSES = 100;
const BURST_PER_ADDRESS = 5;
const BURST_WITHIN_MS = 30_000;
// The burst may cost at most this share of what hashing every one of its requests would.
const BURST_CPU_SHARE = 0.25;
const NORMAL_P50_LIMIT_MS = 100;
const IDLE_WITHIN_MS = 45_000;
const LINE_RATE_GUESSES = 2000;
const FRESH_ADDRESS_GUESSES = 200;
// Every this many guesses, the right secret (an attacker does not know which one it is).
const RIGHT_EVERY = 10;

export const key = 'secrets';
export const title = '4 secret guessing';

export async function run(findings) {
  const { seed, service } = campaignSeed();
  const ws = await workspace(key, seed);
  // The token check sampled during the burst must not meet the per-token rate limit.
  const start = () => startTokend({ database: ws.database, seedFile: ws.seedFile, env: { TOKEND_RATE_LIMIT: String(1e9) } });
  let server = await start();
  let next = 0;
  const fresh = () => address(BLOCK, next++);
  try {
    // The service's own address: it authenticates from there (remembered in the store for 30 days).
    const home = fresh();
    const warm = await clientCredentials(server, home, service.id, service.secret);
    if (warm.outcome !== 'issued') throw new Error(`the service's first token was refused: ${warm.outcome}`);
    const wrongFor = (id, from) => clientCredentials(server, from, id, randomSecret(), 15_000);
    let knownVerdicts = 0;

    // Timing: one wrong secret for the known client and one unknown id per fresh address, interleaved.
    const known = [];
    const unknown = [];
    const timingOutcomes = [];
    for (let i = 0; i < TIMING_SAMPLES; i++) {
      const from = fresh();
      const a = await wrongFor(service.id, from);
      const b = await wrongFor(randomClientId(), from);
      known.push(a.response.ms);
      unknown.push(b.response.ms);
      timingOutcomes.push(a.outcome, b.outcome);
      if (a.outcome === 'verdict') knownVerdicts++;
    }
    const [k, u] = [percentile(known, 50), percentile(unknown, 50)];
    const similar = Math.max(k, u) <= 2 * Math.min(k, u) || Math.abs(k - u) <= 5;
    const timingCounts = tally(timingOutcomes);
    findings.check(
      title,
      `median answer to a wrong secret: remembered client vs unknown id (${TIMING_SAMPLES} each)`,
      `${ms(k)} vs ${ms(u)}${timingCounts.verdict === 2 * TIMING_SAMPLES ? '' : ` (only ${timingCounts.verdict ?? 0} of ${2 * TIMING_SAMPLES} were 401)`}`,
      'within 2× or 5 ms, all 401',
      similar && timingCounts.verdict === 2 * TIMING_SAMPLES,
    );

    // Rate: one address against the known client, one against one unknown id, one against many unknown ids.
    const hammer = async (from, idFor) => {
      const started = performance.now();
      const outcomes = [];
      await pool(RATE_ATTEMPTS, 10, async (i) => outcomes.push((await wrongFor(idFor(i), from)).outcome));
      return { outcomes, counts: tally(outcomes), seconds: (performance.now() - started) / 1000 };
    };
    const knownFrom = fresh();
    const onKnown = await hammer(knownFrom, () => service.id);
    knownVerdicts += onKnown.counts.verdict ?? 0;
    const oneUnknown = randomClientId();
    const onUnknown = await hammer(fresh(), () => oneUnknown);
    const onMany = await hammer(fresh(), () => randomClientId());
    const line = ({ counts, seconds }) =>
      `${counts.verdict ?? 0} verdicts (${((counts.verdict ?? 0) / seconds).toFixed(1)}/s), ${counts.throttled ?? 0} throttled in ${seconds.toFixed(1)} s`;
    findings.check(
      title,
      `${RATE_ATTEMPTS} wrong secrets, known client, 1 address`,
      line(onKnown),
      `≤ ${PER_CLIENT_ADDRESS} verdicts`,
      (onKnown.counts.verdict ?? 0) <= PER_CLIENT_ADDRESS,
    );
    findings.check(
      title,
      `${RATE_ATTEMPTS} wrong secrets, one unknown id, 1 address`,
      line(onUnknown),
      'as the known client',
      (onUnknown.counts.verdict ?? 0) === (onKnown.counts.verdict ?? 0),
    );
    findings.check(
      title,
      `${RATE_ATTEMPTS} wrong secrets, ${RATE_ATTEMPTS} unknown ids, 1 address`,
      line(onMany),
      `≤ ${PER_ADDRESS} verdicts`,
      (onMany.counts.verdict ?? 0) <= PER_ADDRESS,
    );

    // The known client from many addresses: at most 50 failures checked in all.
    const spread = await Promise.all(
      Array.from({ length: SPREAD_ADDRESSES }, async () => {
        const from = fresh();
        const outcomes = [];
        for (let i = 0; i < PER_CLIENT_ADDRESS; i++) outcomes.push((await wrongFor(service.id, from)).outcome);
        return outcomes;
      }),
    );
    const spreadCounts = tally(spread.flat());
    knownVerdicts += spreadCounts.verdict ?? 0;
    findings.check(
      title,
      `known client, all addresses (then ${SPREAD_ADDRESSES} more × ${PER_CLIENT_ADDRESS})`,
      `${knownVerdicts} verdicts`,
      `≤ ${PER_CLIENT}`,
      knownVerdicts <= PER_CLIENT,
    );
    const all = [...timingOutcomes, ...onKnown.outcomes, ...onUnknown.outcomes, ...onMany.outcomes, ...spread.flat()];
    checkOnlyVerdictsAndThrottles(findings, title, tally(all));

    await pastTheCaps(findings, { server, service, home, knownFrom, fresh });
    // A restart forgets every remembered secret: the service's own address is remembered in the store.
    await server.stop();
    server = await start();
    const homeAfter = await clientCredentials(server, home, service.id, service.secret, 15_000);
    findings.check(title, "after a restart, right secret from the service's own address", homeAfter.outcome, 'issued', homeAfter.outcome === 'issued');
    const freshAfter = await clientCredentials(server, fresh(), service.id, service.secret, 15_000);
    findings.check(
      title,
      'after a restart, right secret from a fresh address (client at its cap)',
      freshAfter.outcome,
      'throttled',
      freshAfter.outcome === 'throttled',
    );

    await burst(findings, server, fresh, warm.token);
  } finally {
    await server.stop();
    await ws.remove();
  }
}

/**
 * The client is at its cap from all addresses (50) and the guessing address at its own (5): the
 * right secret gets 429 there and from a fresh address, and the service gets in from its own;
 * then guesses at line rate, the right secret every tenth, from the capped address and from a
 * fresh address each: how many answers depended on the secret (200 or 401), and how fast.
 */
async function pastTheCaps(findings, { server, service, home, knownFrom, fresh }) {
  const right = (from) => clientCredentials(server, from, service.id, service.secret, 15_000).then((r) => r.outcome);
  const rightFresh = await right(fresh());
  findings.check(title, 'right secret afterwards, a fresh address (client at its cap of 50)', rightFresh, 'throttled', rightFresh === 'throttled');
  const rightHammered = await right(knownFrom);
  findings.check(title, 'right secret afterwards, the guessing address (at its cap of 5)', rightHammered, 'throttled', rightHammered === 'throttled');
  const rightHome = await right(home);
  findings.check(title, "right secret afterwards, the service's own address (remembered)", rightHome, 'issued', rightHome === 'issued');

  const guess = (i) => (i % RIGHT_EVERY === RIGHT_EVERY - 1 ? service.secret : randomSecret());
  const lineRate = async (count, from) => {
    const started = performance.now();
    const outcomes = [];
    await pool(count, 16, async (i) => outcomes.push((await clientCredentials(server, from(i), service.id, guess(i), 15_000)).outcome));
    const seconds = (performance.now() - started) / 1000;
    const counts = tally(outcomes);
    const decided = (counts.issued ?? 0) + (counts.verdict ?? 0);
    const figure = `${decided} (${(decided / seconds).toFixed(1)} guesses/s); ${counts.throttled ?? 0} throttled, ${(count / seconds).toFixed(0)} requests/s`;
    return { counts, decided, figure };
  };
  const capped = await lineRate(LINE_RATE_GUESSES, () => knownFrom);
  findings.check(
    title,
    `${LINE_RATE_GUESSES} guesses at line rate, remembered client, the capped address, right secret every ${RIGHT_EVERY}th: answers that depended on the secret`,
    capped.figure,
    '0',
    capped.decided === 0,
  );
  const spread = await lineRate(FRESH_ADDRESS_GUESSES, () => fresh());
  findings.check(
    title,
    `${FRESH_ADDRESS_GUESSES} guesses, remembered client at its cap, a fresh address each, right secret every ${RIGHT_EVERY}th: answers that depended on the secret`,
    spread.figure,
    '0',
    spread.decided === 0,
  );
  checkOnlyVerdictsAndThrottles(findings, `${title}: past the caps`, { ...capped.counts, ...spread.counts });
}

/** 500 wrong secrets at once for distinct unknown ids from 100 addresses (within every throttle cap), with a token check every 100 ms. */
async function burst(findings, server, fresh, token) {
  const label = `${title}: burst`;
  const hashSeconds = referenceHashSeconds();
  const total = BURST_ADDRESSES * BURST_PER_ADDRESS;
  const addresses = Array.from({ length: BURST_ADDRESSES }, fresh);
  const latencies = [];
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      const response = await send(server, { from: '127.0.0.1', path: '/api/v2/tokens/me', headers: { authorization: `Bearer ${token}` }, timeoutMs: 10_000 });
      latencies.push(response.status === 200 ? response.ms : Number.POSITIVE_INFINITY);
      await sleep(100);
    }
  })();
  await sleep(300);
  const cpuBefore = server.cpuSeconds();
  const started = performance.now();
  const results = await Promise.all(
    Array.from({ length: total }, (_, i) => clientCredentials(server, addresses[i % BURST_ADDRESSES], randomClientId(), randomSecret(), BURST_WITHIN_MS)),
  );
  const seconds = (performance.now() - started) / 1000;
  sampling = false;
  await sampler;
  // Requests given up on are still hashed by a server without a bound: count its CPU until it is idle again.
  const idle = await idleAgain(server);
  const cpu = server.cpuSeconds() - cpuBefore;
  const counts = tally(results.map((r) => r.outcome));
  log(`${label}: ${JSON.stringify(counts)} in ${seconds.toFixed(1)} s, ${cpu.toFixed(1)} CPU s`);
  const cpuLimit = BURST_CPU_SHARE * total * hashSeconds;
  findings.check(
    label,
    `${total} parallel wrong secrets, ${BURST_ADDRESSES} addresses: 429 + Retry-After (queue full)`,
    `${counts.throttled ?? 0} (${counts.verdict ?? 0} invalid_client, ${seconds.toFixed(1)} s)`,
    '> 0',
    (counts.throttled ?? 0) > 0,
  );
  checkOnlyVerdictsAndThrottles(findings, label, counts);
  findings.check(
    label,
    `server CPU during the burst (one scrypt here: ${ms(hashSeconds * 1000)})`,
    `${idle ? '' : '≥ '}${cpu.toFixed(1)} s${idle ? '' : ` (still busy ${IDLE_WITHIN_MS / 1000} s later)`}`,
    `≤ ${cpuLimit.toFixed(1)} s (${BURST_CPU_SHARE * 100}% of hashing all)`,
    idle && cpu <= cpuLimit,
  );
  const p50 = percentile(latencies, 50);
  findings.check(
    label,
    `GET /api/v2/tokens/me during the burst (${latencies.length} samples)`,
    `p50 ${ms(p50)}, max ${ms(Math.max(...latencies))}`,
    `p50 < ${NORMAL_P50_LIMIT_MS} ms`,
    p50 < NORMAL_P50_LIMIT_MS,
  );
}

/** Waits until the server uses under 5% of a core over half a second; false if it is still busy after IDLE_WITHIN_MS. */
async function idleAgain(server) {
  const deadline = Date.now() + IDLE_WITHIN_MS;
  let cpu = server.cpuSeconds();
  while (Date.now() < deadline) {
    await sleep(500);
    const now = server.cpuSeconds();
    if (now - cpu < 0.025) return true;
    cpu = now;
  }
  return false;
}

/** What one of tokend's scrypt hashes (N=2^15, r=8, p=1) costs on this machine right now, in seconds. */
function referenceHashSeconds() {
  const started = performance.now();
  scryptSync('reference', 'salt-salt-salt-s', 32, { N: 32768, r: 8, p: 1, maxmem: 64 * 2 ** 20 });
  return (performance.now() - started) / 1000;
}
