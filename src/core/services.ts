/** Everything the HTTP layer and the CLI use, wired once around one store and one clock. */
import { Authenticator } from './authenticator.js';
import { ClientAuthenticator } from './client-auth.js';
import type { Clock } from './clock.js';
import { Directory } from './directory.js';
import { IdleClock } from './idle-clock.js';
import { TokenIssuer } from './issuer.js';
import { TokenEndpoint } from './token-endpoint.js';
import type { Store } from '../store/store.js';

export interface Services {
  readonly store: Store;
  readonly clock: Clock;
  readonly directory: Directory;
  readonly idleClock: IdleClock;
  readonly authenticator: Authenticator;
  readonly clients: ClientAuthenticator;
  readonly issuer: TokenIssuer;
  readonly tokenEndpoint: TokenEndpoint;
}

export function createServices(store: Store, clock: Clock, options: { tokenCacheSize: number; idleSettleMs?: number }): Services {
  const directory = new Directory(store);
  const idleClock = new IdleClock(store);
  const authenticator = new Authenticator(store, directory, clock, idleClock, { cacheSize: options.tokenCacheSize, idleSettleMs: options.idleSettleMs ?? 0 });
  const clients = new ClientAuthenticator(directory);
  const issuer = new TokenIssuer(store, clock);
  const tokenEndpoint = new TokenEndpoint({ store, clock, directory, clients, issuer });
  return { store, clock, directory, idleClock, authenticator, clients, issuer, tokenEndpoint };
}

export interface BackgroundOptions {
  /** How often pending last-use moves are written. */
  flushIntervalMs: number;
  /** How often expired tokens are deleted. */
  purgeIntervalMs: number;
  onError: (job: string, error: unknown) => void;
}

/** Starts the periodic jobs; returns a function that stops them and writes what is pending. */
export function startBackgroundJobs(services: Services, options: BackgroundOptions): () => Promise<void> {
  const { idleClock, store, clock } = services;
  const run = (job: string, work: () => Promise<unknown>) => () => {
    work().catch((error) => options.onError(job, error));
  };
  const flush = setInterval(run('flush last use', () => idleClock.flush(clock.now())), options.flushIntervalMs);
  const purge = setInterval(run('purge expired tokens', () => store.deleteExpired(clock.now())), options.purgeIntervalMs);
  flush.unref();
  purge.unref();
  return async () => {
    clearInterval(flush);
    clearInterval(purge);
    await idleClock.flush(clock.now(), true);
  };
}
