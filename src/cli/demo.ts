/**
 * The bundled demo seed (`seed/demo.json`) and when `tokend serve` applies it. Its admin
 * client's secret and its users' passwords are published in the repository, so it goes only
 * where nobody else can use them: to an empty store when asked (`--demo`, `TOKEND_DEMO=1`), or
 * when tokend listens on a loopback address with the default SQLite file, which is what the
 * README's quick start (`npm install && npm start`) does. A PostgreSQL fleet, or any address
 * others can reach, starts empty unless asked.
 */
import { readFile } from 'node:fs/promises';
import { BlockList, isIP } from 'node:net';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULTS } from '../config.js';
import { verifySecret } from '../core/secrets.js';
import { parseSeed } from '../core/seed/validate.js';
import type { Services } from '../core/services.js';

export const DEMO_SEED = fileURLToPath(new URL('../../../seed/demo.json', import.meta.url));

/**
 * Whether the demo seed was asked for: `--demo` or `TOKEND_DEMO=1` (or `true`) yes, `TOKEND_DEMO=0`
 * (or `false`) no, even for the quick start; undefined when nobody said (the flag wins, as flags
 * do over the environment). Any other value stops start-up.
 */
export function demoAsked(flag: boolean, env: NodeJS.ProcessEnv): boolean | undefined {
  if (flag) return true;
  const raw = env.TOKEND_DEMO;
  if (raw === undefined || raw === '') return undefined;
  if (raw === '1' || raw === 'true') return true;
  if (raw === '0' || raw === 'false') return false;
  throw new Error(`TOKEND_DEMO=${raw} is not valid: expected 1 or true (apply the demo seed to an empty store), or 0 or false (never)`);
}

const LOOPBACK = new BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');

/** 127.0.0.0/8, ::1 (in any spelling, IPv4-mapped too) or `localhost`. */
export function isLoopback(host: string): boolean {
  const address = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  if (address.toLowerCase() === 'localhost') return true;
  const family = isIP(address);
  return family !== 0 && LOOPBACK.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

/** Whether an empty store gets the demo seed: as asked, or else for the quick start's loopback address and default SQLite file. */
export function demoApplies(asked: boolean | undefined, config: { host: string; database: string }): boolean {
  return asked ?? (isLoopback(config.host) && resolve(config.database) === resolve(DEFAULTS.database));
}

/**
 * Whether a published demo client secret still gets tokens from this store: a demo client
 * that is active and still has the secret seed/demo.json gives it. While one does, every start
 * repeats the warning, not only the start that applied the seed.
 */
export async function demoSecretWorks(core: Services): Promise<boolean> {
  const seed = parseSeed(await readFile(DEMO_SEED, 'utf8'));
  for (const published of seed.organizations.flatMap((organization) => organization.clients ?? [])) {
    if (!published.id || !published.secret) continue;
    const client = await core.clientAdmin.find('any', published.id);
    if (client?.state === 'active' && client.secretHash !== null && (await verifySecret(published.secret, client.secretHash))) return true;
  }
  return false;
}

/** What a person needs to try tokend right away, under a warning that cannot be missed. */
export async function demoBanner(address: string, store: string): Promise<string> {
  const seed = parseSeed(await readFile(DEMO_SEED, 'utf8'));
  const client = seed.organizations[0]?.clients?.find((c) => c.authorizedGrantType === 'CLIENT-CREDENTIALS');
  const rule = '!'.repeat(78);
  const lines = [
    '',
    rule,
    '!! DEMO CREDENTIALS ARE ACTIVE. The demo seed (seed/demo.json) was applied: its admin',
    '!! client secret and user passwords are published with tokend, so anyone who can reach',
    '!! this server can get admin tokens. Do not expose it; for real use start from an empty',
    '!! store and your own seed (tokend seed FILE).',
    rule,
    '',
    `tokend is serving on ${address} with the demo seed.`,
    `  store: ${store}`,
  ];
  if (client?.id && client.secret) {
    lines.push(
      `  demo client id:     ${client.id}`,
      `  demo client secret: ${client.secret}   (published in seed/demo.json)`,
      '',
      'Try it:',
      `  TOKEN=$(curl -s -u '${client.id}:${client.secret}' -d grant_type=client_credentials ${address}/oauth/token | sed -E 's/.*"access_token":"([^"]+)".*/\\1/')`,
      `  curl -s -H "Authorization: Bearer $TOKEN" ${address}/api/v2/tokens/me`,
    );
  }
  return [...lines, ''].join('\n');
}

/** The start-up line of an empty store that was not given the demo seed. */
export function emptyStoreNotice(address: string, store: string): string {
  return [
    '',
    `tokend is serving on ${address} with an empty store: no client can get a token yet.`,
    'Seed it with `tokend seed FILE` (or start with --seed FILE, TOKEND_SEED=FILE); see seed/demo.json',
    'for the format. The demo seed, whose credentials are published, is applied only when asked: --demo or TOKEND_DEMO=1.',
    `  store: ${store}`,
    '',
  ].join('\n');
}

/**
 * The start-up lines of a store that already has clients (a restart): where tokend serves, which
 * store it opened, and how a client of that store gets a token. No secret is printed: the store
 * holds only their hashes, and the person who seeded it has them.
 */
export function servingNotice(address: string, store: string): string {
  return [
    '',
    `tokend is serving on ${address}`,
    `  store: ${store}`,
    '',
    'Get a token with one of its client-credentials clients (`tokend clients list` shows them):',
    `  TOKEN=$(curl -s -u 'CLIENT_ID:CLIENT_SECRET' -d grant_type=client_credentials ${address}/oauth/token | sed -E 's/.*"access_token":"([^"]+)".*/\\1/')`,
    `  curl -s -H "Authorization: Bearer $TOKEN" ${address}/api/v2/tokens/me`,
    '',
  ].join('\n');
}
