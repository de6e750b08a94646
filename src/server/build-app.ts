/**
 * The composition root: `buildApp(config)` opens the store (migrated, and seeded when asked),
 * builds core's services over it, hands them to the HTTP layer (src/http/app.ts) and starts the
 * background jobs; closing the app stops the jobs and closes the store it opened. Nothing
 * listens (STYLE.md, "The shape"): tests drive the app in process with `app.inject`, and
 * `tokend serve` only adds `listen`.
 */
import { readFile } from 'node:fs/promises';
import type { FastifyInstance } from 'fastify';
import { DEFAULTS, publicUrl, type TokendConfig } from '../config.js';
import { systemClock } from '../core/clock.js';
import { applySeedText } from '../core/seed/apply.js';
import { type ShortSecret, shortSeedSecrets } from '../core/seed/short-secrets.js';
import { parseSeed } from '../core/seed/validate.js';
import { createCore, startBackgroundJobs } from '../core/services.js';
import { buildHttpApp } from '../http/app.js';
import { StoreTimings } from '../http/metrics/store-timings.js';
import { timedStore } from '../store/timed-store.js';
import { openStore } from '../store/open-store.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** The clients of the applied seed file whose secret is shorter than 32 characters (none without a seed). */
    shortSeedSecrets: readonly ShortSecret[];
  }
}

/** Time for another node's last-use batch to be written once its flush timer fired. */
const IDLE_SETTLE_MARGIN_MS = 1000;

export async function buildApp(config: TokendConfig): Promise<FastifyInstance> {
  const clock = config.clock ?? systemClock;
  // Checked before the store opens: a wrong setting names itself, and nothing is touched.
  const issuer = publicUrl('TOKEND_PUBLIC_URL', config.publicUrl, DEFAULTS.host, DEFAULTS.port);
  const store = config.store ?? openStore(config.database, config.postgres, { server: true });
  // A store opened here and left open (PostgreSQL's pool and LISTEN connection) would keep the
  // process alive; a store given in the configuration is its caller's to close.
  const closeOwnStore = async () => {
    if (!config.store) await store.close();
  };
  let shortSecrets: ShortSecret[] = [];
  try {
    await store.migrate();
    if (config.seedFile) {
      const seedText = await readFile(config.seedFile, 'utf8');
      await applySeedText(store, clock, seedText);
      shortSecrets = shortSeedSecrets(parseSeed(seedText));
    }
  } catch (error) {
    await closeOwnStore().catch(() => {});
    throw error;
  }
  const flushIntervalMs = config.flushIntervalMs ?? DEFAULTS.flushIntervalMs;
  // Other nodes write last use once per flush interval: an idle deadline waits that long (and a margin) before it ends a token.
  const idleSettleMs = store.sharedByNodes ? flushIntervalMs + IDLE_SETTLE_MARGIN_MS : 0;
  const storeTimings = new StoreTimings();
  const tokenCacheSize = config.tokenCacheSize ?? DEFAULTS.tokenCacheSize;
  const services = createCore(timedStore(store, storeTimings), {
    clock,
    publicUrl: issuer,
    tokenCacheSize,
    idleSettleMs,
    rateLimitPerMinute: config.rateLimitPerMinute ?? DEFAULTS.rateLimitPerMinute,
    ...(config.slowHashes ? { slowHashes: config.slowHashes } : {}),
    issueRateLimitPerMinute: config.issueRateLimitPerMinute ?? DEFAULTS.issueRateLimitPerMinute,
    testControls: config.testControls === true,
  });

  let app: FastifyInstance;
  try {
    // The stored offset of the test clock, and every later move of any node.
    await services.testClock?.start();
    app = await buildHttpApp({ services, store, storeTimings, issuer, tokenCacheSize, settings: config });
  } catch (error) {
    await closeOwnStore().catch(() => {});
    throw error;
  }
  // `tokend serve` warns of each by name (unless it applied the demo seed, which has its banner).
  app.decorate('shortSeedSecrets', shortSecrets);
  const stopJobs = startBackgroundJobs(services, {
    flushIntervalMs,
    purgeIntervalMs: config.purgeIntervalMs ?? DEFAULTS.purgeIntervalMs,
    usageFlushIntervalMs: config.usageFlushIntervalMs ?? DEFAULTS.usageFlushIntervalMs,
    onError: (job, err) => app.log.error({ err }, `${job} failed`),
  });
  // The metrics show the LISTEN connection's state; the log says when it changed, and what it means.
  store.watchNotifications?.((connected) => {
    if (connected) app.log.info('the PostgreSQL notification (LISTEN) connection is back: caches were dropped and are used again');
    else app.log.warn('the PostgreSQL notification (LISTEN) connection was lost: until it is back, every request reads the database (no cache is trusted)');
  });
  app.addHook('onClose', async () => {
    await stopJobs();
    await closeOwnStore();
  });
  return app;
}
