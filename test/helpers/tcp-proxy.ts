/**
 * A loopback TCP proxy the test controls, to take the database away from a node mid-traffic:
 * `cut('reset')` closes every connection and refuses new ones (a server that went away);
 * `cut('blackhole')` keeps sockets open but passes nothing (a silent network failure);
 * `restore()` lets traffic through again.
 */
import net from 'node:net';

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
