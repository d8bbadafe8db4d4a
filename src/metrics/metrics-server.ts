import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { ClosedError, ErrorCodes } from '../errors/index.ts';
import { localUrl, parseListenAddress } from './listen-address.ts';
import { collectProcessMetrics, renderMetrics } from './tagwatch-metrics.ts';

export interface MetricsServerSettings {
  address: string;
  log: Logger;
  /** Readiness of the process (store reachable, consumer joined…); throws or resolves false when not ready. */
  ready?: () => Promise<boolean>;
  eventLoopPrecisionMs?: number;
}

/**
 * The operations endpoint of a process without the web role: `/metrics` (Prometheus text),
 * `/healthz` (the process answers) and `/readyz` (its own readiness check). Plain node:http —
 * three fixed routes, no user input beyond the path.
 */
export class MetricsServer implements AsyncDisposable {
  readonly #settings: MetricsServerSettings;
  readonly #server: Server;
  #url: string | undefined;
  #closing: Promise<void> | undefined;

  constructor(settings: MetricsServerSettings) {
    this.#settings = settings;
    collectProcessMetrics(settings.eventLoopPrecisionMs);
    this.#server = createServer((req, res) => {
      this.#handle(req, res).catch((err: unknown) => {
        settings.log.error({ err }, 'metrics endpoint failed');
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
        res.end('internal error\n');
      });
    });
  }

  get url(): string {
    if (this.#url === undefined) throw new ClosedError(ErrorCodes.CLOSED, 'metrics server is not listening');
    return this.#url;
  }

  async listen(): Promise<string> {
    if (this.#closing !== undefined) throw new ClosedError(ErrorCodes.CLOSED, 'metrics server is closed');
    if (this.#url !== undefined) return this.#url;
    const { host, port } = parseListenAddress(this.#settings.address);
    await new Promise<void>((resolve, reject) => {
      this.#server.once('error', reject);
      this.#server.listen(port, host, () => {
        this.#server.off('error', reject);
        resolve();
      });
    });
    const bound = this.#server.address();
    this.#url = localUrl(host, typeof bound === 'object' && bound !== null ? bound.port : port);
    this.#settings.log.info({ url: this.#url }, 'metrics endpoint listening');
    return this.#url;
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain' }).end('method not allowed\n');
      return;
    }
    if (path === '/metrics') {
      const { contentType, body } = await renderMetrics();
      res.writeHead(200, { 'content-type': contentType }).end(body);
    } else if (path === '/healthz') {
      json(res, 200, { status: 'ok' });
    } else if (path === '/readyz') {
      let ready = true;
      try {
        ready = this.#settings.ready === undefined ? true : await this.#settings.ready();
      } catch (err) {
        this.#settings.log.warn({ err }, 'readiness check failed');
        ready = false;
      }
      json(res, ready ? 200 : 503, { status: ready ? 'ready' : 'unavailable' });
    } else {
      json(res, 404, { error: { code: ErrorCodes.HTTP_NOT_FOUND, message: `no route ${path}` } });
    }
  }

  /** Idempotent: stops accepting connections and waits for open ones to end. */
  close(): Promise<void> {
    this.#closing ??= new Promise<void>((resolve) => {
      if (!this.#server.listening) {
        resolve();
        return;
      }
      this.#server.close(() => resolve());
      this.#server.closeIdleConnections();
    });
    return this.#closing;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(body));
}
