/**
 * Attack 1, throttle races: 300 wrong passwords sent at once, on one account from one address
 * and across ten accounts from one address, through the password grant and the sign-in page,
 * with the right password sent while they are in flight. Attempts must be reserved before the
 * slow hash, so the burst gets no more verdicts than sequential guesses would (CONTRACT.md,
 * "Sign-in and client-authentication throttling": 5 per account per address, 20 per address),
 * and the right password, arriving past the cap, is refused like the rest. Each race runs on a
 * server of its own, so that one race's backlog cannot slow the next (on PostgreSQL, two nodes
 * sharing one database, the burst spread over both).
 */
import { address, sleep } from './lib/http.mjs';
import { log, tally } from './lib/report.mjs';
import { campaignSeed } from './lib/seed.mjs';
import { passwordGrant, pageSignIn, signInForm, unexpected } from './lib/sign-in.mjs';
import { ON_POSTGRES } from './lib/postgres.mjs';
import { startNodes, workspace } from './lib/tokend.mjs';

const BURST = 300;
const ACROSS = 10;
const BLOCK = 1;
// The right password is sent once the burst is in flight: after its first answer, or at the latest this long after it.
const RIGHT_AFTER_MS = 300;
// A race waits this long for its answers; what is still unanswered then is a violation of its own.
const ANSWER_WITHIN_MS = 15_000;

export const key = 'throttle';
export const title = '1 throttle races';

export async function run(findings) {
  const races = [
    { surface: 'password grant', accounts: 1, cap: 5 },
    { surface: 'sign-in page', accounts: 1, cap: 5 },
    { surface: 'password grant', accounts: ACROSS, cap: 20 },
    { surface: 'sign-in page', accounts: ACROSS, cap: 20 },
  ];
  for (const race of races) await runRace(findings, race);
}

async function runRace(findings, { surface, accounts, cap }) {
  const label = `${title}: ${surface}, ${accounts === 1 ? 'one account' : `${accounts} accounts`}, 1 address${ON_POSTGRES ? ', 2 nodes' : ''}`;
  // person 0 warms the password app's client authentication (its digest is then remembered); the others are raced.
  const { seed, people, passwordApp } = campaignSeed({ users: 1 + accounts });
  const ws = await workspace(key, seed);
  // On PostgreSQL the burst is spread over two nodes: the reservation must hold across nodes too.
  const nodes = await startNodes(ON_POSTGRES ? 2 : 1, { database: ws.database, seedFile: ws.seedFile });
  try {
    for (const node of nodes) {
      const warm = await passwordGrant(node, address(BLOCK, 0), passwordApp, people[0].email, people[0].password);
      if (warm.outcome !== 'success') throw new Error(`warm-up sign-in failed: ${warm.outcome} ${warm.response.body}`);
    }
    const from = address(BLOCK, 1);
    let turn = 0;
    const node = () => nodes[turn++ % nodes.length];
    let attempt;
    if (surface === 'password grant') {
      attempt = (person, password) => passwordGrant(node(), from, passwordApp, person.email, password, ANSWER_WITHIN_MS);
    } else {
      const signIn = await signInForm(nodes[0], from);
      attempt = (person, password) => pageSignIn(node(), from, signIn, person.email, password, ANSWER_WITHIN_MS);
    }
    const targets = people.slice(1);

    const started = performance.now();
    let answered = 0;
    const wrong = Array.from({ length: BURST - 1 }, (_, i) =>
      attempt(targets[i % targets.length], `wrong-${i}`).then((result) => {
        answered++;
        return result;
      }),
    );
    const waitUntil = performance.now() + RIGHT_AFTER_MS;
    while (answered === 0 && performance.now() < waitUntil) await sleep(5);
    const right = await attempt(targets[0], targets[0].password);
    const results = [...(await Promise.all(wrong)), right];
    const seconds = (performance.now() - started) / 1000;
    const counts = tally(results.map((r) => r.outcome));
    const checked = (counts.verdict ?? 0) + (counts.success ?? 0);
    log(`${label}: ${JSON.stringify(counts)} in ${seconds.toFixed(1)} s`);

    const unanswered = counts.unanswered ?? 0;
    findings.check(
      label,
      `${BURST} parallel guesses: answers that checked the password`,
      `${unanswered ? '≥ ' : ''}${checked} (${counts.throttled ?? 0} throttled, ${seconds.toFixed(1)} s)`,
      `≤ ${cap}`,
      checked <= cap && unanswered === 0,
    );
    findings.check(label, `guesses unanswered after ${ANSWER_WITHIN_MS / 1000} s`, unanswered, '0', unanswered === 0);
    const odd = unexpected(counts);
    findings.check(label, 'answers other than verdict, throttled or success', odd.length ? odd.join(', ') : 0, '0', odd.length === 0);
    // The right password may get in only while the address is below its cap: an attempt the full
    // hash queue turned away (429) counts as nothing, so a burst can leave the count one short.
    const failures = counts.verdict ?? 0;
    const refusedAtCap = (outcome) => outcome === 'throttled' || (outcome === 'success' && failures < cap);
    const limit = `throttled (success only below ${cap} failures)`;
    findings.check(label, `right password sent during the burst (${failures} failures checked)`, right.outcome, limit, refusedAtCap(right.outcome));
    const after = await attempt(targets[0], targets[0].password);
    findings.check(
      label,
      `right password from the same address after the burst (${failures} failures checked)`,
      after.outcome,
      limit,
      refusedAtCap(after.outcome),
    );

    // Then fill the cap one guess at a time: the right password must be refused once it is full.
    let topUp = 0;
    while (topUp <= cap && (await attempt(targets[targets.length - 1], `top-up-${topUp}`)).outcome === 'verdict') topUp++;
    findings.check(label, `failures checked in all, after guessing on until throttled (${topUp} more)`, failures + topUp, `≤ ${cap}`, failures + topUp <= cap);
    const atCap = await attempt(targets[0], targets[0].password);
    findings.check(label, 'right password from the same address at the cap', atCap.outcome, 'throttled', atCap.outcome === 'throttled');
  } finally {
    for (const node of nodes) await node.stop();
    await ws.remove();
  }
}
