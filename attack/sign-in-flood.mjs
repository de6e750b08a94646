/**
 * Attack 12, a sign-in flood that shuts known callers out (issue 22, item 6): wrong passwords
 * for made-up emails on the sign-in page from 241 addresses, each kept under its caps, sent
 * again as soon as answered (a request turned away by the full queue of slow hashes costs the
 * attacker nothing), so the queue is always full. Meanwhile the callers tokend knows try once
 * each: people signing in from their own browser (a device cookie of their account), and
 * services logging in for the first time since a restart (so their secret must be hashed) from
 * the address they authenticated from before. The slow-hash queue keeps places for them
 * (CONTRACT.md, "Sign-in and client-authentication throttling"): at least 95% must get in at
 * the first try. People without a device cookie are measured too, for comparison only.
 */
import { clientCredentials } from './lib/client-auth.mjs';
import { address, pool, sleep } from './lib/http.mjs';
import { log, tally } from './lib/report.mjs';
import { campaignSeed } from './lib/seed.mjs';
import { cookiesOf, pageSignIn, signInForm } from './lib/sign-in.mjs';
import { startTokend, workspace } from './lib/tokend.mjs';

const BLOCK = 8;
const FLOOD_ADDRESSES = 241;
const FLOOD_CONCURRENCY = 32;
// Each flooding address stays under its cap of 20 failures a window (the sign-in page's per address).
const VERDICTS_PER_ADDRESS = 19;
const PEOPLE = 20;
const SERVICES = 20;
const STRANGERS = 5;
const FLOOD_WARM_MS = 1500;
// Known callers try this many at a time, each once.
const KNOWN_CONCURRENCY = 4;
const FLOOD_BUDGET_MS = 90_000;
const FIRST_TRY_SHARE = 0.95;

export const key = 'signinflood';
export const title = '15 sign-in flood';

export async function run(findings) {
  // People 0..PEOPLE-1 have a device cookie; the rest sign in as strangers would.
  const { seed, people, services } = campaignSeed({ users: PEOPLE + STRANGERS, services: SERVICES });
  const ws = await workspace(key, seed);
  const start = () => startTokend({ database: ws.database, seedFile: ws.seedFile });
  let server = await start();
  // Callers' addresses: people's homes from 0, services' from 100, strangers' from 200, the flood's from 1000.
  const home = (i) => address(BLOCK, i);
  const serviceHome = (j) => address(BLOCK, 100 + j);
  const strangerHome = (k) => address(BLOCK, 200 + k);
  const floodAddress = (a) => address(BLOCK, 1000 + a);
  try {
    // Before the flood: each person signs in once from their browser (the device cookie), each service once from its address.
    const browsers = [];
    for (let i = 0; i < PEOPLE; i++) {
      const form = await signInForm(server, home(i));
      const first = await pageSignIn(server, home(i), form, people[i].email, people[i].password);
      if (first.outcome !== 'success') throw new Error(`person ${i}'s first sign-in failed: ${first.outcome}`);
      browsers.push({ csrf: form.csrf, cookie: [form.cookie, ...cookiesOf(first.response)].join('; ') });
    }
    for (let j = 0; j < SERVICES; j++) {
      const first = await clientCredentials(server, serviceHome(j), services[j].id, services[j].secret);
      if (first.outcome !== 'issued') throw new Error(`service ${j}'s first token was refused: ${first.outcome}`);
    }
    // A restart: every service's next login pays a slow hash, as its first one after a deploy does.
    await server.stop();
    server = await start();
    const strangerForms = [];
    for (let k = 0; k < STRANGERS; k++) strangerForms.push(await signInForm(server, strangerHome(k)));

    const flood = await startFlood(server, floodAddress);
    await sleep(FLOOD_WARM_MS);
    const personOutcomes = [];
    const serviceOutcomes = [];
    const strangerOutcomes = [];
    // Interleaved: a service, a person, now and then a stranger.
    const attempts = [];
    for (let n = 0; n < Math.max(PEOPLE, SERVICES, STRANGERS); n++) {
      if (n < SERVICES)
        attempts.push(async () => serviceOutcomes.push((await clientCredentials(server, serviceHome(n), services[n].id, services[n].secret, 15_000)).outcome));
      if (n < PEOPLE)
        attempts.push(async () => personOutcomes.push((await pageSignIn(server, home(n), browsers[n], people[n].email, people[n].password, 15_000)).outcome));
      if (n < STRANGERS) {
        const person = people[PEOPLE + n];
        attempts.push(async () =>
          strangerOutcomes.push((await pageSignIn(server, strangerHome(n), strangerForms[n], person.email, person.password, 15_000)).outcome),
        );
      }
    }
    const knownStarted = performance.now();
    await pool(attempts.length, KNOWN_CONCURRENCY, (i) => attempts[i]());
    const knownSeconds = (performance.now() - knownStarted) / 1000;
    const floodCounts = await flood.stop();

    const peopleIn = personOutcomes.filter((o) => o === 'success').length;
    const servicesIn = serviceOutcomes.filter((o) => o === 'issued').length;
    const known = PEOPLE + SERVICES;
    const share = (peopleIn + servicesIn) / known;
    findings.check(
      title,
      `known callers' first try during the flood (${PEOPLE} people with a device cookie, ${SERVICES} services at their address after a restart)`,
      `${peopleIn + servicesIn} of ${known} (${(share * 100).toFixed(1)}%)`,
      `≥ ${FIRST_TRY_SHARE * 100}%`,
      share >= FIRST_TRY_SHARE,
    );
    findings.note(title, 'people with a device cookie: first try', `${peopleIn} of ${PEOPLE} (${describe(tally(personOutcomes))})`);
    findings.note(title, 'services at their own address, first login after a restart', `${servicesIn} of ${SERVICES} (${describe(tally(serviceOutcomes))})`);
    findings.note(
      title,
      'people without a device cookie, right password (for comparison)',
      `${strangerOutcomes.filter((o) => o === 'success').length} of ${STRANGERS} (${describe(tally(strangerOutcomes))})`,
    );
    findings.note(
      title,
      `the flood: wrong passwords for made-up emails, ${FLOOD_ADDRESSES} addresses, ${FLOOD_CONCURRENCY} at a time`,
      `${flood.sent()} in ${flood.seconds().toFixed(1)} s: ${describe(floodCounts)}; the known callers' tries took ${knownSeconds.toFixed(1)} s`,
    );
    const odd = Object.entries(floodCounts).filter(([outcome]) => !['verdict', 'throttled', 'unanswered'].includes(outcome));
    findings.check(
      title,
      'flood answers other than 401, 429 + Retry-After or a timeout',
      odd.length ? odd.map(([o, n]) => `${o}: ${n}`).join(', ') : 0,
      '0',
      odd.length === 0,
    );
  } finally {
    await server.stop();
    await ws.remove();
  }
}

/**
 * Wrong passwords for made-up emails on the sign-in page, from every flooding address in turn,
 * each sent again as soon as answered; an address stops at {@link VERDICTS_PER_ADDRESS} failures,
 * under its cap. Runs until `stop()` (or its budget).
 */
async function startFlood(server, floodAddress) {
  const forms = [];
  await pool(FLOOD_ADDRESSES, 16, async (a) => {
    forms[a] = await signInForm(server, floodAddress(a));
  });
  const verdicts = new Array(FLOOD_ADDRESSES).fill(0);
  const inFlight = new Array(FLOOD_ADDRESSES).fill(0);
  const full = (a) => verdicts[a] + inFlight[a] >= VERDICTS_PER_ADDRESS;
  const outcomes = [];
  let flooding = true;
  let next = 0;
  let sent = 0;
  const started = performance.now();
  let ended = started;
  const deadline = Date.now() + FLOOD_BUDGET_MS;
  const worker = async () => {
    while (flooding && Date.now() < deadline) {
      let a = next++ % FLOOD_ADDRESSES;
      for (let tries = 0; full(a) && tries < FLOOD_ADDRESSES; tries++) a = next++ % FLOOD_ADDRESSES;
      if (full(a)) break;
      sent++;
      inFlight[a]++;
      const { outcome } = await pageSignIn(server, floodAddress(a), forms[a], `made-up-${sent}@attack.example`, `wrong-${sent}`, 10_000);
      inFlight[a]--;
      if (outcome === 'verdict') verdicts[a]++;
      outcomes.push(outcome);
    }
  };
  const workers = Array.from({ length: FLOOD_CONCURRENCY }, worker);
  return {
    sent: () => sent,
    seconds: () => (ended - started) / 1000,
    async stop() {
      flooding = false;
      await Promise.all(workers);
      ended = performance.now();
      const counts = tally(outcomes);
      log(`${title}: flood ${JSON.stringify(counts)}, most verdicts at one address ${Math.max(...verdicts)}`);
      return counts;
    },
  };
}

function describe(counts) {
  return Object.entries(counts)
    .map(([outcome, n]) => `${n} ${outcome}`)
    .join(', ');
}
