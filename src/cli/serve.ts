/**
 * `tokend serve`: check the store, seed an empty one (demo.ts says when), listen, drain on
 * SIGTERM. The log goes to stdout through a buffer (logging.ts): every exit below waits until it
 * is written, so no line is lost at SIGTERM, SIGINT or an uncaught exception.
 */
import { resolve } from 'node:path';
import type { ServeConfig } from '../config.js';
import { buildApp } from '../server/build-app.js';
import { bufferedStdout, flushLog } from '../http/logging.js';
import { describeStore, isPostgresUrl } from '../store/database-location.js';
import { storeExposure } from '../store/sqlite/file-modes.js';
import { DEMO_SEED, demoApplies, demoBanner, emptyStoreNotice, servingNotice } from './demo.js';
import { MIN_SECRET_LENGTH } from '../core/seed/short-secrets.js';
import { checkStoreAtStart, listenFailure, seedFailure } from './startup-checks.js';

export interface ServeOptions {
  /**
   * `--demo` or `TOKEND_DEMO=1` (true): an empty store gets the demo seed wherever tokend listens;
   * `TOKEND_DEMO=0` (false): never; unset: only on loopback with the default SQLite file.
   */
  demo?: boolean | undefined;
}

type App = Awaited<ReturnType<typeof buildApp>>;

/** The log levels at which `info` lines are written. */
const INFO_OR_LOWER = new Set(['trace', 'debug', 'info']);

/** How long an exit waits for the log to be written. */
const EXIT_FLUSH_TIMEOUT_MS = 5000;

export async function serve(config: ServeConfig, out: NodeJS.WritableStream = process.stdout, options: ServeOptions = {}): Promise<void> {
  // Throws a one-line CliError naming the setting and the cause when the store cannot be used.
  const { clients, demoSecretWorks } = await checkStoreAtStart(config);
  const empty = config.seedFile === undefined && clients === 0;
  const seedFile = config.seedFile ?? (empty && demoApplies(options.demo, config) ? DEMO_SEED : undefined);
  const destination = config.logger === false || config.logger?.stream ? null : bufferedStdout();
  const logger = config.logger === false ? false : { ...config.logger, ...(destination ? { stream: destination } : {}) };
  const app = await buildApp({ ...config, logger, ...(seedFile ? { seedFile } : {}) }).catch((error: unknown) => {
    throw seedFailure(error, config);
  });
  const exitOnceLogged = (code: number) => {
    app.accessLog?.flush();
    const written = destination ? flushLog(destination) : Promise.resolve();
    // A log reader that stopped reading must not keep tokend from exiting.
    setTimeout(() => process.exit(code), EXIT_FLUSH_TIMEOUT_MS).unref();
    void written.then(() => process.exit(code));
  };
  flushAtExit(app, destination, exitOnceLogged);
  // Before listening: a signal that comes as soon as the listening line is out must drain, not kill.
  drainOnSignals(app, exitOnceLogged);
  const address = await app.listen({ host: config.host, port: config.port }).catch(async (error: unknown) => {
    await app.close();
    throw listenFailure(error, config);
  });
  // A port of its own for /metrics (TOKEND_METRICS_PORT): a refusal to listen there stops the start.
  if (config.metricsPort !== undefined)
    await app.metrics.listen(config.host, config.metricsPort).catch(async (error: unknown) => Promise.reject(await app.close().then(() => error)));
  const store = describeStore(config.database);
  // Said at every start: an operator's folder or an older store file others can read is theirs to tighten.
  if (!isPostgresUrl(config.database) && config.database !== ':memory:') for (const warning of storeExposure(config.database)) app.log.warn(warning);
  // Loud whenever the published credentials went in, asked for by name (--seed seed/demo.json) too,
  // and at every later start while a published demo secret still gets tokens from this store.
  const demo = (seedFile !== undefined && resolve(seedFile) === DEMO_SEED) || demoSecretWorks;
  if (demo) app.log.warn('the demo seed is applied: its published credentials are active; do not expose this server');
  else {
    for (const { clientId, name, length } of app.shortSeedSecrets) {
      app.log.warn(
        `the seed gives client ${clientId} (${JSON.stringify(name)}) a secret of ${length} characters: use ${MIN_SECRET_LENGTH} or more random ones (tokend's own are 256-bit), since the throttles slow online guessing but cannot make a short secret strong`,
      );
    }
  }
  // Unset, the issuer is the listen address: on every address that is one no client can reach.
  const issuerHost = config.publicUrl === undefined ? '' : new URL(config.publicUrl).hostname;
  if (issuerHost === '0.0.0.0' || issuerHost === '[::]') {
    app.log.warn(
      `TOKEND_PUBLIC_URL is not set: the OAuth metadata names ${config.publicUrl} as its issuer, which no client can reach; set it to the URL clients use`,
    );
  }
  // The start-up lines at once, and before what is written to `out` directly.
  if (destination) await flushLog(destination);
  if (demo) out.write(await demoBanner(address, store));
  else if (empty) out.write(emptyStoreNotice(address, store));
  else out.write(servingNotice(address, store));
  if (config.testControls) out.write(testControlsNotice(address, config.testControlsToken !== undefined));
}

/** The banner's line when the test controls are on: who may move this server's clock and set faults. */
function testControlsNotice(address: string, withToken: boolean): string {
  const who = withToken ? 'callers sending TOKEND_TEST_CONTROLS_TOKEN as a bearer' : 'loopback callers only, not through a proxy';
  return `  test controls: on (TOKEND_TEST_CONTROLS=1), at ${address}/api/v2/tokend/test/ for ${who}; never in production\n`;
}

/**
 * Whoever calls process.exit: the buffered lines are written first. Node's default for an
 * uncaught exception (or an unhandled rejection, which node raises as one) is to print it and
 * exit 1 at once, losing what the buffer holds: log it, flush, exit 1.
 */
function flushAtExit(app: App, destination: ReturnType<typeof bufferedStdout> | null, exitOnceLogged: (code: number) => void): void {
  process.once('exit', () => {
    app.accessLog?.flush();
    try {
      destination?.flushSync();
    } catch {
      // Nothing more can be done at exit.
    }
  });
  let crashed = false;
  process.on('uncaughtException', (error, origin) => {
    app.log.fatal({ err: error }, `${origin === 'unhandledRejection' ? 'unhandled rejection' : 'uncaught exception'}: tokend stops`);
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    // Another one while the log is written is logged too, and does not cut the flush short.
    if (crashed) return;
    crashed = true;
    exitOnceLogged(1);
  });
}

/**
 * SIGTERM or SIGINT: stop accepting connections, let in-flight requests finish, say when done
 * and exit 0. A second signal during the drain gives up on it: exit at once with 128 + the
 * signal's number, as a shell reports a process ended by that signal.
 */
function drainOnSignals(app: App, exitOnceLogged: (code: number) => void): void {
  // The drain's lines are written at `warn` too: an operator who turned the log down to warn still
  // learns when the drain is done (operations.md, "Logs"); at `error` and below they are not.
  const lifecycle = (message: string) => (INFO_OR_LOWER.has(app.log.level) ? app.log.info(message) : app.log.warn(message));
  let draining = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (draining) {
      app.log.warn(`${signal} during the drain: stopping at once, in-flight requests are cut`);
      exitOnceLogged(128 + (signal === 'SIGINT' ? 2 : 15));
      return;
    }
    draining = true;
    lifecycle(`${signal}: draining in-flight requests (send SIGINT or SIGTERM again to stop at once)`);
    app.close().then(
      () => {
        lifecycle('drained: every in-flight request was answered, the store is closed; stopped');
        exitOnceLogged(0);
      },
      (error) => {
        app.log.error({ err: error }, 'shutdown failed');
        exitOnceLogged(1);
      },
    );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}
