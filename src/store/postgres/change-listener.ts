/**
 * One dedicated connection per node that LISTENs for the notifications of notify-triggers.ts,
 * and the trust it earns: a node may serve from its caches only while this connection is up
 * and proven alive. The rules:
 * - Connected and heartbeats answered: {@link version} moves on each `*` notification;
 *   token revocations go to the token listeners and directory entity changes to the directory
 *   listeners (either moves the version where it has none, as does any payload not understood);
 *   throttle failures, on a channel of their own, go to the failure listeners.
 * - Not connected, or a heartbeat is late: {@link version} moves on every read, so every
 *   request finds its caches stale and reads the database (or gets 503 when it cannot).
 * - Reconnected: LISTEN first, then one more move of the version (whatever changed while we
 *   were deaf is unknown, so every cache is dropped and re-read), and only then trusted again.
 * A silent network failure is noticed within two heartbeats (`TOKEND_PG_HEARTBEAT_MS`).
 */
import pg from 'pg';
import type { DirectoryChange } from '../../core/ports/changes-port.js';
import { CHANGES_CHANNEL, DIRECTORY_CHANGED, ENTITY_PREFIXES, FAILURES_CHANNEL, TEST_CLOCK_CHANNEL, TOKEN_REVOKED_PREFIX } from './notify-triggers.js';

const ENTITY_KINDS = Object.entries(ENTITY_PREFIXES) as Array<[DirectoryChange['kind'], string]>;

const RECONNECT_MIN_MS = 50;
const RECONNECT_MAX_MS = 2000;

export class ChangeListener {
  readonly #config: pg.ClientConfig;
  readonly #heartbeatMs: number;
  #client: pg.Client | null = null;
  #trusted = false;
  #version = 0;
  #closed = false;
  /** Successful connections, the first included (reconnects are the rest). */
  #connections = 0;
  #retryMs = RECONNECT_MIN_MS;
  #reconnect: NodeJS.Timeout | null = null;
  #heartbeat: NodeJS.Timeout | null = null;
  #heartbeatPending = false;
  #tokenListeners: Array<(hash: string) => void> = [];
  #directoryListeners: Array<(change: DirectoryChange) => void> = [];
  #failureListeners: Array<(keys: readonly string[]) => void> = [];
  #clockListeners: Array<(payload: string) => void> = [];
  #connectionListeners: Array<(connected: boolean) => void> = [];

  constructor(config: pg.ClientConfig, heartbeatMs: number) {
    this.#config = config;
    this.#heartbeatMs = heartbeatMs;
  }

  /** Connects; resolves once listening, or after the first failure (it keeps retrying in the background). */
  start(): Promise<void> {
    return this.#connect();
  }

  /** True while notifications are known to arrive. */
  get trusted(): boolean {
    return this.#trusted;
  }

  /** The change counter the Authenticator reads on every request (Store.changeVersion). */
  version(): number {
    return this.#trusted ? this.#version : ++this.#version;
  }

  /** Times the connection was made again after being lost. */
  get reconnects(): number {
    return Math.max(0, this.#connections - 1);
  }

  onTokenRevoked(listener: (hash: string) => void): void {
    this.#tokenListeners.push(listener);
  }

  onDirectoryChanged(listener: (change: DirectoryChange) => void): void {
    this.#directoryListeners.push(listener);
  }

  /** Told of the throttle keys any node announced as holding a new failure (FAILURES_CHANNEL). */
  onFailures(listener: (keys: readonly string[]) => void): void {
    this.#failureListeners.push(listener);
  }

  /** Told of each test clock move any node stored (TEST_CLOCK_CHANNEL; pg-test-clock.ts reads the payload). */
  onClockMoved(listener: (payload: string) => void): void {
    this.#clockListeners.push(listener);
  }

  /** Told of each loss of a trusted connection (false) and of each reconnection after one (true); not of retries in between. */
  onConnectionChanged(listener: (connected: boolean) => void): void {
    this.#connectionListeners.push(listener);
  }

  async #connect(): Promise<void> {
    if (this.#closed) return;
    const client = new pg.Client(this.#config);
    this.#client = client;
    client.on('error', () => this.#lost(client));
    client.on('end', () => this.#lost(client));
    client.on('notification', (message) => {
      if (message.channel === FAILURES_CHANNEL) this.#failed(message.payload ?? '');
      else if (message.channel === TEST_CLOCK_CHANNEL) for (const listener of this.#clockListeners) listener(message.payload ?? '');
      else this.#notified(message.payload ?? DIRECTORY_CHANGED);
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${CHANGES_CHANNEL}; LISTEN ${FAILURES_CHANNEL}; LISTEN ${TEST_CLOCK_CHANNEL}`);
    } catch {
      this.#lost(client);
      return;
    }
    if (this.#client !== client || this.#closed) return;
    this.#retryMs = RECONNECT_MIN_MS;
    this.#connections++;
    this.#version++;
    this.#trusted = true;
    this.#heartbeatPending = false;
    this.#heartbeat = setInterval(() => this.#beat(client), this.#heartbeatMs);
    this.#heartbeat.unref();
    if (this.#connections > 1) for (const listener of this.#connectionListeners) listener(true);
  }

  #notified(payload: string): void {
    if (payload.startsWith(TOKEN_REVOKED_PREFIX) && this.#tokenListeners.length > 0) {
      const hash = payload.slice(TOKEN_REVOKED_PREFIX.length);
      for (const listener of this.#tokenListeners) listener(hash);
      return;
    }
    const change = this.#directoryListeners.length > 0 ? entityChange(payload) : null;
    if (change === null) this.#version++;
    else for (const listener of this.#directoryListeners) listener(change);
  }

  #failed(payload: string): void {
    const keys = payload.split(' ').filter((key) => key !== '');
    if (keys.length > 0) for (const listener of this.#failureListeners) listener(keys);
  }

  #beat(client: pg.Client): void {
    if (this.#heartbeatPending) {
      // The last heartbeat went unanswered for a whole interval: the connection may be dead
      // without having said so (a silent network failure). Stop trusting it now.
      this.#lost(client);
      return;
    }
    this.#heartbeatPending = true;
    client.query('SELECT 1').then(
      () => {
        this.#heartbeatPending = false;
      },
      () => this.#lost(client),
    );
  }

  #lost(client: pg.Client): void {
    if (this.#client !== client) return;
    this.#client = null;
    const wasTrusted = this.#trusted;
    this.#trusted = false;
    if (wasTrusted && !this.#closed) for (const listener of this.#connectionListeners) listener(false);
    if (this.#heartbeat) clearInterval(this.#heartbeat);
    this.#heartbeat = null;
    client.removeAllListeners('notification');
    client.on('error', () => {});
    client.end().catch(() => {});
    if (this.#closed) return;
    const delay = this.#retryMs;
    this.#retryMs = Math.min(this.#retryMs * 2, RECONNECT_MAX_MS);
    this.#reconnect = setTimeout(() => void this.#connect(), delay);
    this.#reconnect.unref();
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#trusted = false;
    if (this.#reconnect) clearTimeout(this.#reconnect);
    if (this.#heartbeat) clearInterval(this.#heartbeat);
    const client = this.#client;
    this.#client = null;
    if (client) {
      client.on('error', () => {});
      await client.end().catch(() => {});
    }
  }
}

/** The entity a payload of notify-triggers.ts names, or null for `*` and anything not understood. */
function entityChange(payload: string): DirectoryChange | null {
  for (const [kind, prefix] of ENTITY_KINDS) {
    if (payload.startsWith(prefix) && payload.length > prefix.length) return { kind, id: payload.slice(prefix.length) };
  }
  return null;
}
