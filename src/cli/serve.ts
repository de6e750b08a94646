/** `tokend serve`: build the app, seed an empty store (demo.ts says when), listen, drain on SIGTERM. */
import { resolve } from 'node:path';
import type { ServeConfig } from '../config.js';
import { buildApp } from '../http/app.js';
import { DEMO_SEED, demoApplies, demoBanner, emptyStoreNotice } from './demo.js';

export interface ServeOptions {
  /**
   * `--demo` or `TOKEND_DEMO=1` (true): an empty store gets the demo seed wherever tokend listens;
   * `TOKEND_DEMO=0` (false): never; unset: only on loopback with the default SQLite file.
   */
  demo?: boolean | undefined;
}

export async function serve(config: ServeConfig, out: NodeJS.WritableStream = process.stdout, options: ServeOptions = {}): Promise<void> {
  const empty = config.seedFile === undefined && (await storeIsEmpty(config));
  const seedFile = config.seedFile ?? (empty && demoApplies(options.demo, config) ? DEMO_SEED : undefined);
  const app = await buildApp({ ...config, ...(seedFile ? { seedFile } : {}) });
  const address = await app.listen({ host: config.host, port: config.port });
  // A port of its own for /metrics (TOKEND_METRICS_PORT): a refusal to listen there stops the start.
  if (config.metricsPort !== undefined) await app.metrics.listen(config.host, config.metricsPort).catch(async (error: unknown) => Promise.reject(await app.close().then(() => error)));
  // Loud whenever the published credentials went in, asked for by name (--seed seed/demo.json) too.
  if (seedFile !== undefined && resolve(seedFile) === DEMO_SEED) {
    app.log.warn('the demo seed is applied: its published credentials are active; do not expose this server');
    out.write(await demoBanner(address));
  } else if (empty) {
    out.write(emptyStoreNotice(address));
  }
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

/** True when the store has no client yet (a new store, or one nobody seeded). */
async function storeIsEmpty(config: ServeConfig): Promise<boolean> {
  const { openStore } = await import('../store/open-store.js');
  const store = openStore(config.database, config.postgres);
  try {
    await store.migrate();
    return (await store.listClients()).length === 0;
  } finally {
    await store.close();
  }
}
