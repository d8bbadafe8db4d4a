import { request as httpRequest, type ClientRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Failure } from '../live/backoff.ts';
import type { LiveClock } from '../live/clock.ts';
import { IdleWatchdog } from '../live/idle-watchdog.ts';
import { LineSplitter } from '../live/line-splitter.ts';
import { SourceFailureError } from '../live/source-failure.ts';
import type { FrameSink, LiveSession } from '../live/types.ts';

const MAX_ERROR_BODY = 8_192;

export interface XStreamSessionOptions {
  url: string;
  /** Label for frames and logs (no secrets). */
  origin: string;
  headers: Record<string, string>;
  /** No byte (not even a keep-alive) for this long is a stall, in ms. */
  stallTimeoutMs: number;
  connectTimeoutMs: number;
  maxLineBytes: number;
  clock: LiveClock;
  /** The stream answered a status other than 200: the error to reject with (`ConfigError` = stop). */
  onRejected(status: number, body: string): Error;
}

/**
 * One GET of X's filtered stream: newline-delimited JSON, `\r\n` keep-alives, read as a plain
 * HTTP response so `pause()` really stops reading the socket.
 */
export function openXStreamSession(options: XStreamSessionOptions, sink: FrameSink, signal: AbortSignal): Promise<LiveSession> {
  return new Promise<LiveSession>((resolve, reject) => {
    const url = new URL(options.url);
    const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
    let settled = false;
    const req = request(url, { method: 'GET', headers: { 'user-agent': 'tagwatch', accept: 'application/json', ...options.headers } });
    const fail = (err: Error): void => {
      if (settled) return;
      settled = true;
      signal.removeEventListener('abort', onAbort);
      req.destroy();
      reject(err);
    };
    const onAbort = (): void => fail(new SourceFailureError({ kind: 'closed', detail: 'aborted before the stream opened' }));
    signal.addEventListener('abort', onAbort, { once: true });
    req.setTimeout(options.connectTimeoutMs, () => fail(new SourceFailureError({ kind: 'network', detail: `${options.origin}: no response within ${options.connectTimeoutMs} ms` })));
    req.on('error', (err) => fail(new SourceFailureError({ kind: 'network', detail: `${options.origin}: ${err.message}` }, { cause: err })));
    req.on('response', (res) => {
      if (settled) {
        res.destroy();
        return;
      }
      if (res.statusCode !== 200) {
        readBody(res, MAX_ERROR_BODY).then((body) => fail(options.onRejected(res.statusCode ?? 0, body)));
        return;
      }
      settled = true;
      signal.removeEventListener('abort', onAbort);
      req.setTimeout(0);
      resolve(new XStreamSession(req, res, options, sink));
    });
    req.end();
  });
}

class XStreamSession implements LiveSession {
  readonly ended: Promise<Failure>;
  readonly #req: ClientRequest;
  readonly #res: IncomingMessage;
  readonly #watchdog: IdleWatchdog;
  #endReason: Failure | undefined;

  constructor(req: ClientRequest, res: IncomingMessage, options: XStreamSessionOptions, sink: FrameSink) {
    this.#req = req;
    this.#res = res;
    this.#watchdog = new IdleWatchdog(options.stallTimeoutMs, options.clock, () => {
      this.#endReason ??= { kind: 'idle', detail: `${options.origin}: no data or keep-alive for ${options.stallTimeoutMs} ms` };
      req.destroy();
    });
    const splitter = new LineSplitter(
      options.maxLineBytes,
      (line, totalBytes) => sink.push({ data: line, totalBytes, receivedAt: options.clock.now(), origin: options.origin }),
      () => sink.heartbeat(),
    );
    res.on('data', (chunk: Buffer) => {
      this.#watchdog.touch();
      splitter.push(chunk);
    });
    this.ended = new Promise<Failure>((resolve) => {
      let done = false;
      const finish = (fallback: Failure): void => {
        if (done) return;
        done = true;
        this.#watchdog.stop();
        splitter.reset();
        resolve(this.#endReason ?? fallback);
      };
      res.on('end', () => finish({ kind: 'closed', detail: `${options.origin}: the server ended the stream` }));
      res.on('error', (err) => finish({ kind: 'network', detail: `${options.origin}: ${err.message}` }));
      res.on('close', () => finish({ kind: 'network', detail: `${options.origin}: connection closed` }));
      req.on('error', (err) => finish({ kind: 'network', detail: `${options.origin}: ${err.message}` }));
    });
  }

  pause(): void {
    this.#watchdog.suspend();
    this.#res.pause();
  }

  resume(): void {
    this.#res.resume();
    this.#watchdog.resume();
  }

  close(): void {
    this.#endReason ??= { kind: 'closed', detail: 'closed by tagwatch' };
    this.#watchdog.stop();
    this.#req.destroy();
  }
}

function readBody(res: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (): void => {
      if (done) return;
      done = true;
      resolve(Buffer.concat(chunks).toString('utf8').slice(0, limit));
    };
    res.on('data', (chunk: Buffer) => {
      if (size < limit) chunks.push(chunk);
      size += chunk.length;
      if (size >= limit) {
        finish();
        res.destroy();
      }
    });
    res.on('end', finish);
    res.on('error', finish);
    res.on('close', finish);
  });
}
