/**
 * A loopback TCP proxy the test controls, to take the database away from a node mid-traffic:
 * `cut('reset')` closes every connection and refuses new ones (a server that went away);
 * `cut('blackhole')` keeps sockets open but passes nothing (a silent network failure);
 * `restore()` lets traffic through again.
 */
import net from 'node:net';
import type { FastifyInstance } from 'fastify';
import { ManualClock } from '../../src/core/clock.js';
import { buildApp } from '../../src/server/build-app.js';
import { PG_DEFAULTS } from '../../src/store/postgres/pg-settings.js';
import { pgTestDatabase } from './pg-template.js';
import { databaseUrl, PG_ADMIN_URL, type TestDatabase } from './postgres.js';

export type CutMode = 'reset' | 'blackhole';

export class TcpProxy {
  readonly #server: net.Server;
  readonly #sockets = new Set<net.Socket>();
  #mode: CutMode | null = null;
  port = 0;

  private constructor(targetPort: number) {
    this.#server = net.createServer((client) => this.#accept(client, targetPort));
  }

  static async start(targetPort: number): Promise<TcpProxy> {
    const proxy = new TcpProxy(targetPort);
    await new Promise<void>((resolve) => proxy.#server.listen(0, '127.0.0.1', resolve));
    proxy.port = (proxy.#server.address() as net.AddressInfo).port;
    return proxy;
  }

  #accept(client: net.Socket, targetPort: number): void {
    this.#track(client);
    if (this.#mode === 'reset') {
      client.destroy();
      return;
    }
    if (this.#mode === 'blackhole') return;
    const upstream = net.connect(targetPort, '127.0.0.1');
    this.#track(upstream);
    client.on('data', (chunk) => this.#mode === null && upstream.write(chunk));
    upstream.on('data', (chunk) => this.#mode === null && client.write(chunk));
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  }

  #track(socket: net.Socket): void {
    this.#sockets.add(socket);
    socket.on('error', () => {});
    socket.on('close', () => this.#sockets.delete(socket));
  }

  cut(mode: CutMode = 'reset'): void {
    this.#mode = mode;
    if (mode === 'reset') for (const socket of this.#sockets) socket.destroy();
  }

  /** Lets new connections through; connections made during a blackhole stay dead. */
  restore(): void {
    if (this.#mode === 'blackhole') for (const socket of this.#sockets) socket.destroy();
    this.#mode = null;
  }

  async close(): Promise<void> {
    for (const socket of this.#sockets) socket.destroy();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}

/** A tokend on a seeded PostgreSQL database reached through a {@link TcpProxy} the test controls. */
export interface ProxiedPgApp {
  database: TestDatabase;
  proxy: TcpProxy;
  app: FastifyInstance;
}

/**
 * Builds a {@link ProxiedPgApp} into `made`, with timeouts and a heartbeat short enough that an
 * outage is noticed within a test: should a step fail, `made` holds what was built before it, for
 * {@link closeProxiedPgApp}.
 */
export async function proxiedPgApp(made: Partial<ProxiedPgApp> = {}): Promise<ProxiedPgApp> {
  made.database = await pgTestDatabase(true);
  made.proxy = await TcpProxy.start(Number(new URL(PG_ADMIN_URL).port || 5432));
  const url = databaseUrl(made.database.name, `postgres://postgres@127.0.0.1:${made.proxy.port}/`);
  const postgres = { ...PG_DEFAULTS, connectTimeoutMs: 1000, queryTimeoutMs: 1000, heartbeatMs: 100 };
  made.app = await buildApp({ database: url, postgres, logger: false, clock: new ManualClock(Date.UTC(2026, 0, 1, 12)) });
  return made as ProxiedPgApp;
}

/** Closes what {@link proxiedPgApp} made, all or part of it. */
export async function closeProxiedPgApp({ app, proxy, database }: Partial<ProxiedPgApp>): Promise<void> {
  await app?.close();
  await proxy?.close();
  await database?.drop();
}
