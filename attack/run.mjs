/**
 * `npm run test:attack`: issue 13's campaign against real `tokend serve` processes over loopback,
 * each attack on a fresh server with its own SQLite file and seed, every loop bounded in count
 * and time: 1-7 the campaign's first attacks, 8-15 the authorization holds (the boundary,
 * consent, client-id probing, cross-site sign-out, redirect URIs, client takeover, disable races,
 * a sign-in flood, scope reach and refusals), 17 groups, 18 SAML2 bearer forgeries and replays. Prints a table of figures (Markdown, on stdout) and exits 1 on any violation.
 *
 * Settings (environment): ATTACK_ONLY=throttle,lockout,flood,secrets,fuzz,slow,kill,boundary,consent,probe,logout,redirects,takeover,reenable,signinflood,reach,groups,saml (a subset,
 * in that order); ATTACK_POSTGRES=postgres://postgres@127.0.0.1:5432/postgres (an admin URL: every
 * attack on a PostgreSQL database of its own instead of a SQLite file, the sign-in attacks on two
 * nodes); ATTACK_CLI (another build's dist/src/cli/main.js, to attack that build instead of
 * this one's); ATTACK_WRITE_DOCS=1 also writes the table into docs/security.md between its markers.
 * Needs Linux (/proc and the 127.0.0.0/8 loopback) and a build (`npm run build`).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as probe from './authorize-probe.mjs';
import * as boundary from './boundary.mjs';
import * as consent from './consent.mjs';
import * as logout from './cross-site-logout.mjs';
import * as flood from './unknown-clients.mjs';
import * as fuzz from './fuzz.mjs';
import * as groups from './groups.mjs';
import * as kill from './kill-restart.mjs';
import { ON_POSTGRES } from './lib/postgres.mjs';
import { Findings, log } from './lib/report.mjs';
import { ROOT } from './lib/tokend.mjs';
import * as lockout from './lockout.mjs';
import * as reach from './scope-reach.mjs';
import * as saml from './saml.mjs';
import * as redirects from './redirect-uris.mjs';
import * as secrets from './secret-guessing.mjs';
import * as signinflood from './sign-in-flood.mjs';
import * as slow from './slow-sockets.mjs';
import * as throttle from './throttle-races.mjs';
import * as takeover from './client-takeover.mjs';
import * as reenable from './disable-race.mjs';

const ATTACKS = [
  throttle,
  lockout,
  flood,
  secrets,
  fuzz,
  slow,
  kill,
  boundary,
  consent,
  probe,
  logout,
  redirects,
  takeover,
  reenable,
  signinflood,
  reach,
  groups,
  saml,
];
const DOCS = join(ROOT, 'docs', 'security.md');
const START = '<!-- attack-table:start -->';
const END = '<!-- attack-table:end -->';

// Every attack bounds its own loops; this is the backstop should one of them hang all the same.
const CAMPAIGN_LIMIT_MS = 10 * 60_000;

const only = process.env.ATTACK_ONLY ? new Set(process.env.ATTACK_ONLY.split(',')) : null;
const findings = new Findings();
const started = Date.now();
setTimeout(() => {
  findings.check('campaign', 'finished in time', 'no', `${CAMPAIGN_LIMIT_MS / 60_000} min`, false);
  process.stdout.write(`\n${findings.markdown()}\n`);
  process.exit(1);
}, CAMPAIGN_LIMIT_MS).unref();
for (const attack of ATTACKS) {
  if (only && !only.has(attack.key)) continue;
  const attackStarted = Date.now();
  log(`${attack.title}: starting`);
  try {
    await attack.run(findings);
  } catch (error) {
    findings.check(attack.title, 'the attack ran to its end', `stopped: ${error.message.split('\n')[0]}`, 'ran', false);
    log(error.stack);
  }
  log(`${attack.title}: ${((Date.now() - attackStarted) / 1000).toFixed(1)} s`);
}
const seconds = ((Date.now() - started) / 1000).toFixed(0);
const store = ON_POSTGRES ? 'PostgreSQL' : 'SQLite';
const summary = `${findings.failures.length === 0 ? 'No violation' : `${findings.failures.length} violation(s)`} in ${seconds} s (${store}, node ${process.version}, ${new Date().toISOString()}).`;
const table = `${findings.markdown()}\n\n${summary}`;
process.stdout.write(`\n${table}\n`);

if (process.env.ATTACK_WRITE_DOCS === '1') {
  const text = readFileSync(DOCS, 'utf8');
  const from = text.indexOf(START);
  const to = text.indexOf(END);
  if (from < 0 || to < from) throw new Error(`${DOCS} has no ${START} ... ${END} markers`);
  writeFileSync(DOCS, `${text.slice(0, from + START.length)}\n${table}\n${text.slice(to)}`);
  log(`table written into ${DOCS}`);
}
process.exitCode = findings.failures.length === 0 ? 0 : 1;
