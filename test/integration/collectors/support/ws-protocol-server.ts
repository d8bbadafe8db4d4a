import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';

/** One client connection as the server sees it. */
export interface ServerConnection {
  socket: WebSocket;
  url: URL;
  headers: IncomingMessage['headers'];
  /** Messages the client sent (text). */
  received: string[];
  /** Resolves once the client has sent `count` messages. */
  receivedAtLeast(count: number): Promise<string[]>;
  closed: Promise<{ code: number }>;
}

export interface WsProtocolServerOptions {
  /** Refuse the upgrade with a raw HTTP response (Mastodon's 401, Jetstream's 400). */
  refuse?(req: IncomingMessage): { status: number; headers?: Record<string, string>; body?: string } | undefined;
  /** Plain HTTP requests on the same port (getProfiles). */
  http?(req: IncomingMessage, res: ServerResponse): void;
}

/**
 * A WebSocket server on 127.0.0.1 with a random port, speaking whatever the test scripts on each
 * connection. `nextConnection()` hands connections over in order.
 */
export class WsProtocolServer {
  readonly connections: ServerConnection[] = [];
  readonly upgradeAttempts: IncomingMessage[] = [];
  readonly #server: Server;
  readonly #wss = new WebSocketServer({ noServer: true });
  #waiting: Array<(c: ServerConnection) => void> = [];
  #handedOver = 0;

  private constructor(options: WsProtocolServerOptions) {
    this.#server = createServer((req, res) => {
      if (options.http !== undefined) options.http(req, res);
      else res.writeHead(404).end();
    });
    this.#server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      this.upgradeAttempts.push(req);
      const refusal = options.refuse?.(req);
      if (refusal !== undefined) {
        const body = refusal.body ?? '';
        const headers = Object.entries({ 'Content-Type': 'text/plain', 'Content-Length': String(Buffer.byteLength(body)), Connection: 'close', ...refusal.headers })
          .map(([k, v]) => `${k}: ${v}\r\n`)
          .join('');
        socket.end(`HTTP/1.1 ${refusal.status} Refused\r\n${headers}\r\n${body}`);
        return;
      }
      this.#wss.handleUpgrade(req, socket, head, (ws) => this.#accept(ws, req));
    });
  }

  static async start(options: WsProtocolServerOptions = {}): Promise<WsProtocolServer> {
    const server = new WsProtocolServer(options);
    await new Promise<void>((resolve) => server.#server.listen(0, '127.0.0.1', resolve));
    return server;
  }

  get port(): number {
    return (this.#server.address() as AddressInfo).port;
  }

  url(path: string): string {
    return `ws://127.0.0.1:${this.port}${path}`;
  }

  httpUrl(path = ''): string {
    return `http://127.0.0.1:${this.port}${path}`;
  }

  nextConnection(): Promise<ServerConnection> {
    const ready = this.connections[this.#handedOver];
    if (ready !== undefined) {
      this.#handedOver++;
      return Promise.resolve(ready);
    }
    return new Promise((resolve) => this.#waiting.push(resolve));
  }

  async close(): Promise<void> {
    for (const c of this.#wss.clients) c.terminate();
    this.#wss.close();
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  #accept(socket: WebSocket, req: IncomingMessage): void {
    const received: string[] = [];
    const receivedWaiters: Array<{ count: number; resolve: (m: string[]) => void }> = [];
    const connection: ServerConnection = {
      socket,
      url: new URL(req.url ?? '/', 'ws://127.0.0.1'),
      headers: req.headers,
      received,
      receivedAtLeast: (count) =>
        received.length >= count ? Promise.resolve(received) : new Promise((resolve) => receivedWaiters.push({ count, resolve })),
      closed: new Promise((resolve) => socket.once('close', (code) => resolve({ code }))),
    };
    socket.on('message', (data) => {
      received.push(String(data));
      for (const w of receivedWaiters.filter((w) => received.length >= w.count)) {
        receivedWaiters.splice(receivedWaiters.indexOf(w), 1);
        w.resolve(received);
      }
    });
    this.connections.push(connection);
    const waiter = this.#waiting.shift();
    if (waiter !== undefined) {
      this.#handedOver++;
      waiter(connection);
    }
  }
}

/** Sends frames until the client stops reading: `bufferedAmount` (bytes the kernel would not take) passes `threshold`. */
export async function floodUntilBackedUp(socket: WebSocket, frame: (i: number) => string, threshold: number, maxFrames: number): Promise<number> {
  let sent = 0;
  while (sent < maxFrames && socket.bufferedAmount < threshold) {
    for (let burst = 0; burst < 200 && sent < maxFrames; burst++) socket.send(frame(sent++));
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  return sent;
}
