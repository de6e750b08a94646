/**
 * Attack 7, `kill -9` under load: clients issue tokens (client credentials) and log some of them
 * out (DELETE /api/v2/tokens/me) in parallel; the server is killed with SIGKILL at a random
 * moment and started again on the same SQLite file. Every acknowledged write must hold: each
 * token whose issuance was answered 200 is valid, each whose logout was answered 200 is refused.
 * Three rounds; each restart checks every token acknowledged in any round so far.
 */
import { clientCredentials } from './lib/client-auth.mjs';
import { address, pool, send, sleep } from './lib/http.mjs';
import { log } from './lib/report.mjs';
import { campaignSeed } from './lib/seed.mjs';
import { startTokend, workspace } from './lib/tokend.mjs';

const BLOCK = 7;
const ROUNDS = 3;
const WORKERS = 32;
const ADDRESSES = 8;
const LOGOUT_SHARE = 0.3;
// The kill comes at a random moment within this range of the load's start.
const KILL_AFTER_MS = [2000, 5000];

export const key = 'kill';
export const title = '7 kill -9 under load';

export async function run(findings) {
  const { seed, service } = campaignSeed();
  const ws = await workspace(key, seed);
  const env = { TOKEND_ISSUE_RATE_LIMIT: String(1e9), TOKEND_RATE_LIMIT: String(1e9) };
  // token -> 'valid' (issuance acknowledged), 'revoked' (logout acknowledged) or 'either' (logout sent, unanswered).
  const tokens = new Map();
  let server = await startTokend({ database: ws.database, seedFile: ws.seedFile, env });
  try {
    for (let round = 1; round <= ROUNDS; round++) {
      const { issued, loggedOut } = await loadAndKill(server, service, tokens);
      server = await startTokend({ database: ws.database, env });
      const check = await verify(server, tokens);
      log(`${title}: round ${round}: ${issued} issued, ${loggedOut} logged out before the kill; ${JSON.stringify(check)}`);
      const lost = check.lost + check.resurrected + check.odd;
      findings.check(
        title,
        `round ${round}: acknowledged writes wrong after restart (${issued} issued, ${loggedOut} logged out this round; ${check.valid + check.lost} tokens, ${check.refused + check.resurrected} logouts checked)`,
        `${check.lost} lost, ${check.resurrected} revived${check.odd ? `, ${check.odd} odd answers` : ''}`,
        '0',
        lost === 0 && issued > 0,
      );
    }
  } finally {
    await server.stop();
    await ws.remove();
  }
}

async function loadAndKill(server, service, tokens) {
  let running = true;
  let issued = 0;
  let loggedOut = 0;
  const worker = async (w) => {
    const from = address(BLOCK, 1 + (w % ADDRESSES));
    while (running) {
      const { outcome, token } = await clientCredentials(server, from, service.id, service.secret, 5000);
      if (outcome !== 'issued') continue;
      tokens.set(token, 'valid');
      issued++;
      if (Math.random() >= LOGOUT_SHARE) continue;
      tokens.set(token, 'either');
      const response = await send(server, {
        from,
        method: 'DELETE',
        path: '/api/v2/tokens/me',
        headers: { authorization: `Bearer ${token}` },
        timeoutMs: 5000,
      });
      if (response.status === 200) {
        tokens.set(token, 'revoked');
        loggedOut++;
      }
    }
  };
  const workers = Array.from({ length: WORKERS }, (_, w) => worker(w));
  const [low, high] = KILL_AFTER_MS;
  await sleep(low + Math.random() * (high - low));
  await server.kill9();
  running = false;
  await Promise.all(workers);
  return { issued, loggedOut };
}

/** GET /api/v2/tokens/me for every token acknowledged so far: 200 for a valid one, 401 for a logged-out one. */
async function verify(server, tokens) {
  const list = [...tokens].filter(([, state]) => state !== 'either');
  const counts = { valid: 0, lost: 0, refused: 0, resurrected: 0, odd: 0 };
  await pool(list.length, 32, async (i) => {
    const [token, state] = list[i];
    const response = await send(server, { path: '/api/v2/tokens/me', headers: { authorization: `Bearer ${token}` }, timeoutMs: 10_000 });
    if (response.status !== 200 && response.status !== 401) counts.odd++;
    else if (state === 'valid') counts[response.status === 200 ? 'valid' : 'lost']++;
    else counts[response.status === 401 ? 'refused' : 'resurrected']++;
  });
  return counts;
}
