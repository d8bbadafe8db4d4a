import websocket from '@fastify/websocket';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { ClosedError, ErrorCodes, TagwatchError } from '../errors/index.ts';
import { collectProcessMetrics, localUrl, parseListenAddress, renderMetrics, webRequests } from '../metrics/index.ts';
import { registerApiRoutes } from './api-routes.ts';
import { BearerCheck } from './bearer-check.ts';
import { HttpError, parseRequest } from './http-error.ts';
import { LiveChannel } from './live-channel.ts';
import type { WebOptions } from './options.ts';
import { TagPathParams } from './query-schemas.ts';
import { RecentFlags } from './recent-flags.ts';
import { StorePoller } from './store-poller.ts';
import type { LiveFeed, LiveSpreadReader, ReadModel } from './types.ts';
import { UiAssets } from './ui-assets.ts';

export interface WebServerSettings {
  options: WebOptions;
  model: ReadModel;
  /**
   * Live pipeline events (the lead's `LiveFeedStage`). Without one, the server polls the store
   * every `options.pollIntervalMs` for new flags and minutes.
   */
  live?: LiveFeed | undefined;
  /** The analyze stage's live spread figures; without it they are computed from `posts`. */
  spread?: LiveSpreadReader | undefined;
  log: Logger;
  /** UI files directory (tests); default `src/web/ui`. */
  uiDir?: string;
}

const UI_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

/**
 * The analyst UI and read API: static UI, JSON API under `/api`, the `/api/live` WebSocket,
 * and `/healthz`, `/readyz`, `/metrics` for operations.
 *
 * Lifecycle: construct → `listen()` → `close()` (idempotent; also `await using`).
 */
export class WebServer implements AsyncDisposable {
  readonly #settings: WebServerSettings;
  readonly #log: Logger;
  readonly #app: FastifyInstance;
  readonly #bearer: BearerCheck;
  readonly #recentFlags = new RecentFlags();
  readonly #assets: UiAssets;
  readonly #poller: StorePoller | undefined;
  readonly #channel: LiveChannel;
  #url: string | undefined;
  #closing: Promise<void> | undefined;

  constructor(settings: WebServerSettings) {
    this.#settings = settings;
    this.#log = settings.log;
    this.#bearer = new BearerCheck(settings.options.token);
    this.#assets = new UiAssets(settings.uiDir);
    let feed = settings.live;
    if (feed === undefined) {
      this.#poller = new StorePoller(settings.model, settings.options.pollIntervalMs, settings.log);
      feed = this.#poller;
    }
    this.#channel = new LiveChannel({
      feed,
      bearer: this.#bearer,
      recentFlags: this.#recentFlags,
      coalesceMs: settings.options.liveCoalesceMs,
      log: settings.log,
    });
    collectProcessMetrics();
    this.#app = this.#build();
  }

  /** Base URL once listening (`http://127.0.0.1:8080`). */
  get url(): string {
    if (this.#url === undefined) throw new ClosedError(ErrorCodes.CLOSED, 'web server is not listening');
    return this.#url;
  }

  /** Starts listening on `options.address`; resolves with the base URL. */
  async listen(): Promise<string> {
    if (this.#closing !== undefined) throw new ClosedError(ErrorCodes.CLOSED, 'web server is closed');
    if (this.#url !== undefined) return this.#url;
    const { host, port } = parseListenAddress(this.#settings.options.address);
    await this.#app.listen({ host, port });
    const address = this.#app.server.address();
    this.#url = localUrl(host, typeof address === 'object' && address !== null ? address.port : port);
    await this.#poller?.start();
    this.#log.info({ url: this.#url, auth: this.#bearer.required, live: this.#poller === undefined ? 'pipeline' : 'poll' }, 'web UI listening');
    return this.#url;
  }

  /** Idempotent: stops the live feed, closes WebSockets, then stops accepting HTTP and waits for requests in flight. */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      this.#channel.close();
      await this.#poller?.close();
      await this.#app.close();
    })();
    return this.#closing;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  #build(): FastifyInstance {
    const { options } = this.#settings;
    const app = Fastify({
      loggerInstance: this.#log as FastifyBaseLogger,
      // Requests are counted in /metrics; failures are logged by the error handler.
      logController: new LogController({ disableRequestLogging: true }),
      bodyLimit: 64 * 1024,
      routerOptions: { maxParamLength: 600 },
      return503OnClosing: true,
    });
    const cors = new Set(options.corsOrigins.map((o) => new URL(o).origin));

    app.addHook('onRequest', async (request, reply) => {
      const origin = request.headers.origin;
      if (origin !== undefined && cors.has(origin)) {
        void reply.header('access-control-allow-origin', origin).header('vary', 'Origin');
        if (request.method === 'OPTIONS') {
          return reply
            .code(204)
            .header('access-control-allow-methods', 'GET')
            .header('access-control-allow-headers', 'Authorization')
            .header('access-control-max-age', '600')
            .send();
        }
      }
      // The WebSocket authenticates with its first message (browsers cannot set headers on it).
      if (request.url.startsWith('/api/') && !request.url.startsWith('/api/live') && !this.#bearer.matchesHeader(request.headers.authorization)) {
        return reply
          .code(401)
          .header('www-authenticate', 'Bearer realm="tagwatch"')
          .send({ error: { code: ErrorCodes.HTTP_UNAUTHORIZED, message: 'missing or wrong bearer token (Authorization: Bearer <token>)' } });
      }
      return undefined;
    });

    app.addHook('onSend', async (request, reply, payload) => {
      void reply.header('x-content-type-options', 'nosniff').header('referrer-policy', 'no-referrer');
      if (request.url.startsWith('/api/')) void reply.header('cache-control', 'no-store');
      return payload;
    });

    app.addHook('onResponse', async (request, reply) => {
      const route = request.routeOptions.url ?? 'unmatched';
      webRequests.inc({ route, status: `${Math.floor(reply.statusCode / 100)}xx` });
    });

    app.setErrorHandler((err: FastifyError | Error, request, reply) => this.#handleError(err, request, reply));
    app.setNotFoundHandler((request, reply) => {
      void reply.code(404).send({ error: { code: ErrorCodes.HTTP_NOT_FOUND, message: `no route ${request.method} ${request.url.split('?')[0]}` } });
    });

    void app.register(websocket, { options: { maxPayload: 4096 } });
    void app.register(async (scoped) => {
      scoped.get('/api/live', { websocket: true }, (socket, request) => {
        this.#channel.attach(socket, this.#bearer.required && this.#bearer.matchesHeader(request.headers.authorization));
      });
      registerApiRoutes(scoped, {
        model: this.#settings.model,
        spread: this.#settings.spread,
        recentFlags: this.#recentFlags,
        options,
        liveSource: this.#poller === undefined ? 'pipeline' : 'poll',
        authRequired: this.#bearer.required,
      });
      this.#registerOperations(scoped);
      this.#registerUi(scoped);
    });
    return app;
  }

  #registerOperations(app: FastifyInstance): void {
    app.get('/healthz', async () => ({ status: 'ok' }));
    app.get('/readyz', async (_request, reply) => {
      try {
        await this.#settings.model.ping();
        return { status: 'ready' };
      } catch (err) {
        this.#log.warn({ err }, 'readiness check: store not answering');
        return reply.code(503).send({ status: 'unavailable', reason: 'store not answering' });
      }
    });
    app.get('/metrics', async (_request, reply) => {
      const { contentType, body } = await renderMetrics();
      return reply.header('content-type', contentType).send(body);
    });
  }

  #registerUi(app: FastifyInstance): void {
    // Alerts link to `<webBaseUrl>/tags/<tag>` (alerts.tagPathTemplate); the UI routes by fragment.
    app.get('/tags/:tag', async (request, reply) => {
      const { tag } = parseRequest(TagPathParams, request.params, 'path');
      return reply.redirect(`/#/tag/${encodeURIComponent(tag)}`, 302);
    });
    for (const path of this.#assets.paths()) {
      app.get(path, async (_request, reply) => {
        const asset = this.#assets.get(path);
        if (asset === undefined) return reply.callNotFound();
        void reply.header('content-type', asset.contentType).header('cache-control', 'no-cache');
        if (path === '/') void reply.header('content-security-policy', UI_CSP);
        return reply.send(asset.body);
      });
    }
  }

  #handleError(err: FastifyError | Error, request: FastifyRequest, reply: FastifyReply): void {
    if (err instanceof HttpError) {
      void reply.code(err.status).send({ error: { code: err.code, message: err.message } });
      return;
    }
    const status = (err as FastifyError).statusCode;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      void reply.code(status).send({ error: { code: ErrorCodes.HTTP_BAD_REQUEST, message: err.message } });
      return;
    }
    if (err instanceof TagwatchError && (err.code === ErrorCodes.STORE_UNAVAILABLE || err.code === ErrorCodes.STORE_QUERY)) {
      this.#log.error({ err, route: request.routeOptions.url }, 'store query failed');
      void reply.code(503).send({ error: { code: err.code, message: 'the store could not answer; try again shortly' } });
      return;
    }
    this.#log.error({ err, route: request.routeOptions.url }, 'request failed');
    void reply.code(500).send({ error: { code: 'TW_INTERNAL', message: 'internal error (logged)' } });
  }
}
