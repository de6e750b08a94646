/**
 * `tokend serve`: build the app, seed an empty store (demo.ts says when), listen, drain on
 * SIGTERM. The log goes to stdout through a buffer (logging.ts): every exit below waits until it
 * is written, so no line is lost at SIGTERM, SIGINT or an uncaught exception.
 */
import { resolve } from 'node:path';
import type { ServeConfig } from '../config.js';
import { buildApp } from '../http/app.js';
import { bufferedStdout, flushLog } from '../http/logging.js';
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
  const destination = config.logger === false || config.logger?.stream ? null : bufferedStdout();
  const logger = config.logger === false ? false : { ...config.logger, ...(destination ? { stream: destination } : {}) };
  const app = await buildApp({ ...config, logger, ...(seedFile ? { seedFile } : {}) });
  const exitOnceLogged = (code: number) => {
    app.accessLog?.flush();
    const written = destination ? flushLog(destination) : Promise.resolve();
    // A log reader that stopped reading must not keep tokend from exiting.
    setTimeout(() => process.exit(code), EXIT_FLUSH_TIMEOUT_MS).unref();
    void written.then(() => process.exit(code));
  };
  // Whoever calls process.exit elsewhere: pino writes its buffer out then, and these lines with it.
  process.once('exit', () => {
    app.accessLog?.flush();
    try {
      destination?.flushSync();
    } catch {
      // Nothing more can be done at exit.
    }
  });
  // Node's default for an uncaught exception (or an unhandled rejection, which node raises as
  // one) is to print it and exit 1 at once, losing what the buffer holds: log it, flush, exit 1.
  let crashed = false;
  process.on('uncaughtException', (error) => {
    app.log.fatal({ err: error }, 'uncaught exception: tokend stops');
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    // Another one while the log is written is logged too, and does not cut the flush short.
    if (crashed) return;
    crashed = true;
    exitOnceLogged(1);
  });
  const address = await app.listen({ host: config.host, port: config.port });
  // Loud whenever the published credentials went in, asked for by name (--seed seed/demo.json) too.
  const demo = seedFile !== undefined && resolve(seedFile) === DEMO_SEED;
  if (demo) app.log.warn('the demo seed is applied: its published credentials are active; do not expose this server');
  // The start-up lines at once, and before what is written to `out` directly.
  if (destination) await flushLog(destination);
  if (demo) out.write(await demoBanner(address));
  else if (empty) out.write(emptyStoreNotice(address));
  const shutdown = (signal: string) => {
    app.log.info(`${signal}: draining in-flight requests`);
    app.close().then(
      () => exitOnceLogged(0),
      (error) => {
        app.log.error({ err: error }, 'shutdown failed');
        exitOnceLogged(1);
      },
    );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}

/** How long an exit waits for the log to be written. */
const EXIT_FLUSH_TIMEOUT_MS = 5000;

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
