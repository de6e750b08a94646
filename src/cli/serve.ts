/** `tokend serve`: build the app, seed an empty store, listen, drain on SIGTERM. */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { ServeConfig } from '../config.js';
import { parseSeed } from '../core/seed/validate.js';
import { buildApp } from '../http/app.js';

export const DEMO_SEED = fileURLToPath(new URL('../../../seed/demo.json', import.meta.url));

export async function serve(config: ServeConfig, out: NodeJS.WritableStream = process.stdout): Promise<void> {
  const seedFile = config.seedFile ?? (await demoSeedIfEmpty(config));
  const app = await buildApp({ ...config, ...(seedFile ? { seedFile } : {}) });
  const address = await app.listen({ host: config.host, port: config.port });
  if (seedFile === DEMO_SEED) out.write(await demoBanner(address));
  const shutdown = (signal: string) => {
    app.log.info(`${signal}: draining in-flight requests`);
    app.close().then(
      () => process.exit(0),
      (error) => {
        app.log.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}

/** The bundled demo seed, when the store has no organization yet. */
async function demoSeedIfEmpty(config: ServeConfig): Promise<string | undefined> {
  const { openStore } = await import('../store/open-store.js');
  const store = openStore(config.database, config.postgres);
  try {
    await store.migrate();
    return (await store.listClients()).length === 0 ? DEMO_SEED : undefined;
  } finally {
    await store.close();
  }
}

/** What a person needs to try tokend right away: the demo client and a curl line. */
async function demoBanner(address: string): Promise<string> {
  const seed = parseSeed(await readFile(DEMO_SEED, 'utf8'));
  const client = seed.organizations[0]?.clients?.find((c) => c.authorizedGrantType === 'CLIENT-CREDENTIALS');
  if (!client?.id || !client.secret) return '';
  return [
    '',
    `tokend is serving on ${address} with the demo seed.`,
    `  demo client id:     ${client.id}`,
    `  demo client secret: ${client.secret}   (from seed/demo.json; change it before real use)`,
    '',
    'Try it:',
    `  TOKEN=$(curl -s -u '${client.id}:${client.secret}' -d grant_type=client_credentials ${address}/oauth/token | sed -E 's/.*"access_token":"([^"]+)".*/\\1/')`,
    `  curl -s -H "Authorization: Bearer $TOKEN" ${address}/api/v2/tokens/me`,
    '',
  ].join('\n');
}
