/**
 * Attack 2, lockout attempt: wrong passwords for one account from many addresses, below the
 * per-account cap (9 addresses × 5 = 45 of 50), must not keep the person out: the right password
 * from a fresh address gets in, and on the page so does the person's own browser (its device
 * cookie) even from an address the attacker shares. Past 50 failures from all addresses together
 * the account refuses every address, but not the person's own browser, which its device cookie
 * exempts from that cap too (CONTRACT.md, "Sign-in and client-authentication throttling").
 */
import { address } from './lib/http.mjs';
import { tally } from './lib/report.mjs';
import { campaignSeed } from './lib/seed.mjs';
import { cookiesOf, passwordGrant, pageSignIn, signInForm, unexpected } from './lib/sign-in.mjs';
import { ON_POSTGRES } from './lib/postgres.mjs';
import { startNodes, workspace } from './lib/tokend.mjs';

const BLOCK = 2;
const PER_ADDRESS = 5;
const ATTACK_ADDRESSES = 9;
const FILL_ADDRESSES = 5;
const ACCOUNT_CAP = 50;

export const key = 'lockout';
export const title = '2 lockout attempt';

export async function run(findings) {
  // person 0 warms the password app's client authentication; 1 is attacked through the grant, 2 through the page.
  const { seed, people, passwordApp } = campaignSeed({ users: 3 });
  const ws = await workspace(key, seed);
  // On PostgreSQL the attempts take turns between two nodes: the counts must be shared.
  const nodes = await startNodes(ON_POSTGRES ? 2 : 1, { database: ws.database, seedFile: ws.seedFile });
  let turn = 0;
  const node = () => nodes[turn++ % nodes.length];
  try {
    for (const server of nodes) {
      const warm = await passwordGrant(server, address(BLOCK, 0), passwordApp, people[0].email, people[0].password);
      if (warm.outcome !== 'success') throw new Error(`warm-up sign-in failed: ${warm.outcome} ${warm.response.body}`);
    }
    const server = nodes[0];
    let next = 1;
    const fresh = () => address(BLOCK, next++);

    // The password grant.
    const grant = (from, password) => passwordGrant(node(), from, passwordApp, people[1].email, password).then((r) => r.outcome);
    await lockoutOn(findings, `${title}: password grant${ON_POSTGRES ? ', 2 nodes' : ''}`, { fresh, attempt: grant, rightPassword: people[1].password });

    // The sign-in page; the person signed in once before from `home`, so their browser holds a device cookie.
    const person = people[2];
    const form = await signInForm(server, fresh());
    const page = (from, password, signIn = form) => pageSignIn(node(), from, signIn, person.email, password).then((r) => r.outcome);
    const home = fresh();
    const first = await pageSignIn(server, home, form, person.email, person.password);
    if (first.outcome !== 'success') throw new Error(`the person's first sign-in failed: ${first.outcome}`);
    const browser = { csrf: form.csrf, cookie: [form.cookie, ...cookiesOf(first.response)].join('; ') };
    await lockoutOn(findings, `${title}: sign-in page${ON_POSTGRES ? ', 2 nodes' : ''}`, {
      fresh,
      attempt: page,
      rightPassword: person.password,
      // The attacker shares the person's address (one NAT); the person's browser is theirs alone.
      attackers: (addresses) => [home, ...addresses.slice(1)],
      ownBrowser: (password) => page(home, password, browser),
    });
  } finally {
    for (const server of nodes) await server.stop();
    await ws.remove();
  }
}

async function lockoutOn(findings, label, { fresh, attempt, rightPassword, attackers = (a) => a, ownBrowser }) {
  const addresses = attackers(Array.from({ length: ATTACK_ADDRESSES }, fresh));
  const below = await guesses(addresses, attempt);
  const total = ATTACK_ADDRESSES * PER_ADDRESS;
  // Each address stays within its own caps, so every guess is checked: the account really has 45 failures.
  findings.check(
    label,
    `wrong passwords from ${ATTACK_ADDRESSES} addresses × ${PER_ADDRESS}: checked`,
    describe(below),
    `${total} verdicts`,
    below.verdict === total,
  );
  if (ownBrowser) {
    const outcome = await ownBrowser(rightPassword);
    findings.check(
      label,
      `right password, own browser (device cookie) at an attacked address, after ${total} failures`,
      outcome,
      'success',
      outcome === 'success',
    );
  }
  const rescued = await attempt(fresh(), rightPassword);
  findings.check(label, `right password from a fresh address after ${total} failures`, rescued, 'success', rescued === 'success');

  const fill = await guesses(Array.from({ length: FILL_ADDRESSES }, fresh), attempt);
  const verdicts = (below.verdict ?? 0) + (fill.verdict ?? 0);
  findings.check(
    label,
    `failures checked for the account, all addresses (then ${FILL_ADDRESSES} more addresses × ${PER_ADDRESS}: ${describe(fill)})`,
    verdicts,
    `≤ ${ACCOUNT_CAP}`,
    verdicts <= ACCOUNT_CAP,
  );
  const odd = [...unexpected(below), ...unexpected(fill)];
  findings.check(label, 'answers other than verdict, throttled or success', odd.length ? odd.join(', ') : 0, '0', odd.length === 0);
  const capped = await attempt(fresh(), rightPassword);
  findings.check(label, `right password from a fresh address past ${ACCOUNT_CAP} failures`, capped, 'throttled', capped === 'throttled');
  if (ownBrowser) {
    // The device cookie exempts its browser from the account's cap too: nobody elsewhere can lock a person out of it.
    const outcome = await ownBrowser(rightPassword);
    findings.check(label, `right password, own browser (device cookie), past ${ACCOUNT_CAP} failures`, outcome, 'success', outcome === 'success');
  }
}

/** `PER_ADDRESS` wrong passwords from each address, the addresses in parallel. */
async function guesses(addresses, attempt) {
  const outcomes = await Promise.all(
    addresses.map(async (from, a) => {
      const mine = [];
      for (let i = 0; i < PER_ADDRESS; i++) mine.push(await attempt(from, `wrong-${a}-${i}`));
      return mine;
    }),
  );
  return tally(outcomes.flat());
}

function describe(counts) {
  return Object.entries(counts)
    .map(([outcome, n]) => `${n} ${outcome}`)
    .join(', ');
}
