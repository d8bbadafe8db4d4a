import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifySignature, type VerifySignatureResult } from '../../../src/alerts/index.ts';

export interface ReceivedRequest {
  headers: IncomingMessage['headers'];
  body: string;
  idempotencyKey: string;
  /** Verified against the receiver's secret at the clock's time when it arrived. */
  verification: VerifySignatureResult;
}

/** What the receiver answers: a status (and headers, body), or `'hang'` to never answer. */
export type Reply = { status: number; headers?: Record<string, string>; body?: string } | 'hang';

export interface ReceiverOptions {
  secret: string;
  /** Clock used to check the signature's timestamp (the dispatcher's injected clock). */
  now: () => number;
  /** Decides each reply; default 204. */
  reply?: (request: ReceivedRequest, index: number) => Reply;
}

/**
 * A webhook receiver on 127.0.0.1 and a random port, as an observer would run: it verifies every
 * signature and deduplicates by Idempotency-Key. It can go down (port closed) and come back.
 */
export class WebhookReceiver {
  readonly requests: ReceivedRequest[] = [];
  /** Bodies accepted (2xx) per Idempotency-Key, counting repeats. */
  readonly accepted = new Map<string, number>();
  reply: (request: ReceivedRequest, index: number) => Reply;
  #options: ReceiverOptions;
  #server: Server | undefined;
  #port = 0;
  #hanging: ServerResponse[] = [];
  #waiters: Array<{ check: () => boolean; resolve: () => void }> = [];

  private constructor(options: ReceiverOptions) {
    this.#options = options;
    this.reply = options.reply ?? (() => ({ status: 204 }));
  }

  static async start(options: ReceiverOptions): Promise<WebhookReceiver> {
    const receiver = new WebhookReceiver(options);
    await receiver.up();
    return receiver;
  }

  get url(): string {
    return `http://127.0.0.1:${this.#port}/hooks/tagwatch`;
  }

  get port(): number {
    return this.#port;
  }

  /** Listens (again, on the same port after `down()`). */
  async up(): Promise<void> {
    if (this.#server !== undefined) return;
    const server = createServer((req, res) => this.#handle(req, res));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.#port, '127.0.0.1', () => resolve());
    });
    this.#port = (server.address() as AddressInfo).port;
    this.#server = server;
  }

  /** Stops listening and drops every connection: senders see connection refused. */
  async down(): Promise<void> {
    const server = this.#server;
    if (server === undefined) return;
    this.#server = undefined;
    for (const res of this.#hanging.splice(0)) res.destroy();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  async close(): Promise<void> {
    await this.down();
  }

  /** Resolves once `check` holds (checked now and after every request). */
  until(check: () => boolean): Promise<void> {
    if (check()) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push({ check, resolve }));
  }

  untilRequests(n: number): Promise<void> {
    return this.until(() => this.requests.length >= n);
  }

  #handle(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const header = req.headers['x-tagwatch-signature'];
      const request: ReceivedRequest = {
        headers: req.headers,
        body,
        idempotencyKey: String(req.headers['idempotency-key'] ?? ''),
        verification: verifySignature({ body, header: typeof header === 'string' ? header : undefined, secret: this.#options.secret, now: this.#options.now() }),
      };
      const index = this.requests.length;
      this.requests.push(request);
      const reply = request.verification.ok ? this.reply(request, index) : { status: 401, body: 'bad signature' };
      if (reply === 'hang') {
        this.#hanging.push(res);
      } else {
        if (reply.status >= 200 && reply.status < 300) {
          this.accepted.set(request.idempotencyKey, (this.accepted.get(request.idempotencyKey) ?? 0) + 1);
        }
        res.writeHead(reply.status, reply.headers);
        res.end(reply.body ?? '');
      }
      this.#notify();
    });
  }

  #notify(): void {
    this.#waiters = this.#waiters.filter((w) => {
      if (!w.check()) return true;
      w.resolve();
      return false;
    });
  }
}
