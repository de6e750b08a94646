/** `tokend serve`: check the store, seed an empty one (demo.ts says when), listen, drain on SIGTERM. */
import { resolve } from 'node:path';
import type { ServeConfig } from '../config.js';
import { buildApp } from '../http/app.js';
import { describeStore } from '../store/database-location.js';
import { DEMO_SEED, demoApplies, demoBanner, emptyStoreNotice, servingNotice } from './demo.js';
import { checkStoreAtStart, listenFailure, seedFailure } from './startup-checks.js';

export interface ServeOptions {
  /**
   * `--demo` or `TOKEND_DEMO=1` (true): an empty store gets the demo seed wherever tokend listens;
   * `TOKEND_DEMO=0` (false): never; unset: only on loopback with the default SQLite file.
   */
  demo?: boolean | undefined;
}

export async function serve(config: ServeConfig, out: NodeJS.WritableStream = process.stdout, options: ServeOptions = {}): Promise<void> {
  // Throws a one-line CliError naming the setting and the cause when the store cannot be used.
  const { clients } = await checkStoreAtStart(config);
  const empty = config.seedFile === undefined && clients === 0;
  const seedFile = config.seedFile ?? (empty && demoApplies(options.demo, config) ? DEMO_SEED : undefined);
  const app = await buildApp({ ...config, ...(seedFile ? { seedFile } : {}) }).catch((error: unknown) => {
    throw seedFailure(error, config);
  });
  const address = await app.listen({ host: config.host, port: config.port }).catch(async (error: unknown) => {
    await app.close();
    throw listenFailure(error, config);
  });
  const store = describeStore(config.database);
  // Loud whenever the published credentials went in, asked for by name (--seed seed/demo.json) too.
  if (seedFile !== undefined && resolve(seedFile) === DEMO_SEED) {
    app.log.warn('the demo seed is applied: its published credentials are active; do not expose this server');
    out.write(await demoBanner(address, store));
  } else if (empty) {
    out.write(emptyStoreNotice(address, store));
  } else {
    out.write(servingNotice(address, store));
  }
  drainOnSignals(app);
}

/**
 * SIGTERM or SIGINT: stop accepting connections, let in-flight requests finish, say when done
 * and exit 0. A second signal during the drain gives up on it: exit at once with 128 + the
 * signal's number, as a shell reports a process ended by that signal.
 */
function drainOnSignals(app: Awaited<ReturnType<typeof buildApp>>): void {
  let draining = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (draining) {
      app.log.warn(`${signal} during the drain: stopping at once, in-flight requests are cut`);
      process.exit(128 + (signal === 'SIGINT' ? 2 : 15));
    }
    draining = true;
    app.log.info(`${signal}: draining in-flight requests (send SIGINT or SIGTERM again to stop at once)`);
    app.close().then(
      () => {
        app.log.info('drained: every in-flight request was answered, the store is closed; stopped');
        process.exit(0);
      },
      (error) => {
        app.log.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}
