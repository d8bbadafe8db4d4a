import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface XRuleRecord {
  id: string;
  value: string;
  tag?: string;
}

/** One open filtered-stream response: the test writes lines and keep-alives to it. */
export interface StreamConnection {
  req: IncomingMessage;
  url: URL;
  res: ServerResponse;
  closed: Promise<void>;
}

export const FILTERED_STREAM = '/2/tweets/search/stream';
const STREAM_PATHS = new Set([FILTERED_STREAM, '/2/tweets/compliance/stream', '/2/users/compliance/stream']);

/** How a stream connection is named: the filtered stream by path, compliance streams by path and partition. */
function streamKey(url: URL): string {
  const partition = url.searchParams.get('partition');
  return partition === null ? url.pathname : `${url.pathname}?partition=${partition}`;
}

/**
 * X's filtered stream on 127.0.0.1: the rules endpoint (stateful), and the stream as a chunked
 * NDJSON response the test scripts. Requests without the bearer token get X's 401. The compliance
 * streams (`/2/tweets/compliance/stream?partition=N`, `/2/users/compliance/stream?partition=N`)
 * are served the same way, each connection named by path and partition.
 */
export class XProtocolServer {
  readonly rules: XRuleRecord[];
  readonly ruleCalls: Array<{ method: string; body: unknown }> = [];
  readonly streamRequests: IncomingMessage[] = [];
  /** Statuses (and bodies) for the next filtered-stream requests, answered instead of a stream. */
  readonly refusals: Array<{ status: number; body: string }> = [];
  /** The same for compliance streams, per stream key (`/2/users/compliance/stream?partition=1`). */
  readonly complianceRefusals = new Map<string, Array<{ status: number; body: string }>>();
  /** Requests per stream key, in order. */
  readonly requestsByKey = new Map<string, URL[]>();
  readonly #server: Server;
  readonly #token: string;
  readonly #streams = new Map<string, StreamConnection[]>();
  readonly #waiting = new Map<string, Array<(c: StreamConnection) => void>>();
  readonly #handedOver = new Map<string, number>();
  #nextRuleId = 1835021339218120800n;

  private constructor(token: string, rules: XRuleRecord[]) {
    this.#token = token;
    this.rules = rules;
    this.#server = createServer((req, res) => this.#route(req, res));
  }

  static async start(token: string, rules: XRuleRecord[] = []): Promise<XProtocolServer> {
    const server = new XProtocolServer(token, rules);
    await new Promise<void>((resolve) => server.#server.listen(0, '127.0.0.1', resolve));
    return server;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
  }

  /** The next connection to the stream `key` not handed to the test yet (waits for it). */
  nextStream(key: string = FILTERED_STREAM): Promise<StreamConnection> {
    const handed = this.#handedOver.get(key) ?? 0;
    const ready = this.#streams.get(key)?.[handed];
    if (ready !== undefined) {
      this.#handedOver.set(key, handed + 1);
      return Promise.resolve(ready);
    }
    return new Promise((resolve) => {
      const waiting = this.#waiting.get(key) ?? [];
      waiting.push(resolve);
      this.#waiting.set(key, waiting);
    });
  }

  async close(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  #route(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', this.url);
    const isStream = STREAM_PATHS.has(url.pathname) && req.method === 'GET';
    const key = streamKey(url);
    if (isStream && url.pathname === FILTERED_STREAM) this.streamRequests.push(req);
    if (isStream) this.requestsByKey.set(key, [...(this.requestsByKey.get(key) ?? []), url]);
    if (req.headers.authorization !== `Bearer ${this.#token}`) {
      res.writeHead(401, { 'content-type': 'application/problem+json' }).end(JSON.stringify({ title: 'Unauthorized', type: 'about:blank', status: 401, detail: 'Unauthorized' }));
      return;
    }
    if (url.pathname === '/2/tweets/search/stream/rules') {
      this.#rulesCall(req, res);
      return;
    }
    if (isStream) {
      const refusal = url.pathname === FILTERED_STREAM ? this.refusals.shift() : this.complianceRefusals.get(key)?.shift();
      if (refusal !== undefined) {
        res.writeHead(refusal.status, { 'content-type': 'application/problem+json' }).end(refusal.body);
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
      res.flushHeaders();
      const connection: StreamConnection = { req, url, res, closed: new Promise((resolve) => res.once('close', () => resolve())) };
      this.#streams.set(key, [...(this.#streams.get(key) ?? []), connection]);
      const waiter = this.#waiting.get(key)?.shift();
      if (waiter !== undefined) {
        this.#handedOver.set(key, (this.#handedOver.get(key) ?? 0) + 1);
        waiter(connection);
      }
      return;
    }
    res.writeHead(404).end();
  }

  #rulesCall(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = chunks.length === 0 ? undefined : (JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>);
      this.ruleCalls.push({ method: req.method ?? 'GET', body });
      const sent = new Date().toISOString();
      if (req.method === 'GET') {
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ data: this.rules, meta: { sent, result_count: this.rules.length } }));
        return;
      }
      const add = (body?.['add'] ?? []) as Array<{ value: string; tag?: string }>;
      const ids = ((body?.['delete'] as { ids?: string[] } | undefined)?.ids ?? []) as string[];
      const errors: unknown[] = [];
      const created: XRuleRecord[] = [];
      for (const rule of add) {
        if (rule.value.includes('(((')) {
          errors.push({ value: rule.value, details: ['Rules must contain balanced parentheses'], title: 'UnprocessableEntity', type: 'https://api.x.com/2/problems/invalid-rules' });
          continue;
        }
        const record = { ...rule, id: String(this.#nextRuleId++) };
        created.push(record);
        this.rules.push(record);
      }
      for (const id of ids) {
        const at = this.rules.findIndex((r) => r.id === id);
        if (at >= 0) this.rules.splice(at, 1);
      }
      const summary = add.length > 0 ? { created: created.length, not_created: errors.length, valid: created.length, invalid: errors.length } : { deleted: ids.length, not_deleted: 0 };
      res
        .writeHead(add.length > 0 ? 201 : 200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ ...(created.length > 0 ? { data: created } : {}), meta: { sent, summary }, ...(errors.length > 0 ? { errors } : {}) }));
    });
  }
}

/** Writes to a stream response until the client stops reading (bytes queued past `threshold`). */
export async function writeUntilBackedUp(res: ServerResponse, line: (i: number) => string, threshold: number, maxLines: number): Promise<number> {
  let sent = 0;
  while (sent < maxLines && res.writableLength < threshold) {
    for (let burst = 0; burst < 200 && sent < maxLines; burst++) res.write(`${line(sent++)}\r\n`);
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  return sent;
}
