import type { IncomingMessage } from 'node:http';
import WebSocket from 'ws';
import type { Failure } from './backoff.ts';
import type { LiveClock } from './clock.ts';
import { IdleWatchdog } from './idle-watchdog.ts';
import { SourceFailureError } from './source-failure.ts';
import type { FrameSink, LiveSession } from './types.ts';

/** Bytes of a refused handshake's body kept for the error message. */
const MAX_REJECTION_BODY = 4_096;
/** How long a clean close may take before the socket is cut. */
const CLOSE_GRACE_MS = 1_000;

export interface WebSocketSessionOptions {
  url: string;
  /** Label for frames and logs (no secrets). */
  origin: string;
  /** Request headers (credentials go here, never in the URL). */
  headers?: Record<string, string>;
  /** Hard ceiling on one message; a larger one makes ws drop the connection. */
  maxPayloadBytes: number;
  /** No message and no ping for this long means the server is gone, in ms. */
  idleTimeoutMs: number;
  handshakeTimeoutMs: number;
  clock: LiveClock;
  /**
   * The server refused the upgrade with this HTTP status. Return the error to reject with:
   * a `ConfigError` to stop (bad token), anything else to back off and retry.
   */
  onRejected(status: number, message: string): Error;
  /** Called once the socket is open (to send subscriptions). */
  onOpen?(socket: WebSocket): void;
}

/**
 * Opens one WebSocket session: frames go to `sink`, pings count as heartbeats, silence past the
 * idle timeout ends the session, and `pause()` stops reading the TCP socket (backpressure).
 */
export function openWebSocketSession(options: WebSocketSessionOptions, sink: FrameSink, signal: AbortSignal): Promise<LiveSession> {
  return new Promise<LiveSession>((resolve, reject) => {
    const socket = new WebSocket(options.url, {
      headers: { 'user-agent': 'tagwatch', ...options.headers },
      maxPayload: options.maxPayloadBytes,
      handshakeTimeout: options.handshakeTimeoutMs,
    });
    let opened = false;
    let settled = false;
    const settle = (err: Error): void => {
      if (settled) return;
      settled = true;
      signal.removeEventListener('abort', onAbort);
      reject(err);
    };
    const onAbort = (): void => {
      socket.terminate();
      settle(new SourceFailureError({ kind: 'closed', detail: 'aborted before the connection opened' }));
    };
    signal.addEventListener('abort', onAbort, { once: true });

    socket.on('unexpected-response', (req, res: IncomingMessage) => {
      readBody(res, MAX_REJECTION_BODY)
        .then((body) => {
          const headerMessage = res.headers['x-error-message'];
          const message = (typeof headerMessage === 'string' && headerMessage !== '' ? headerMessage : body.trim()) || (res.statusMessage ?? '');
          settle(options.onRejected(res.statusCode ?? 0, message));
        })
        .finally(() => {
          req.destroy();
          socket.terminate();
        });
    });
    socket.on('error', (err) => {
      if (!opened) settle(new SourceFailureError({ kind: 'network', detail: `${options.origin}: ${err.message}` }, { cause: err }));
      // After the open, 'close' follows every 'error' and ends the session.
    });
    socket.once('open', () => {
      opened = true;
      if (settled) {
        socket.terminate();
        return;
      }
      settled = true;
      signal.removeEventListener('abort', onAbort);
      resolve(new WebSocketSession(socket, options, sink));
    });
  });
}

class WebSocketSession implements LiveSession {
  readonly ended: Promise<Failure>;
  readonly #socket: WebSocket;
  readonly #watchdog: IdleWatchdog;
  readonly #clock: LiveClock;
  #endReason: Failure | undefined;
  #closing = false;

  constructor(socket: WebSocket, options: WebSocketSessionOptions, sink: FrameSink) {
    this.#socket = socket;
    this.#clock = options.clock;
    this.#watchdog = new IdleWatchdog(options.idleTimeoutMs, options.clock, () => {
      this.#endReason ??= { kind: 'idle', detail: `${options.origin}: no message or ping for ${options.idleTimeoutMs} ms` };
      socket.terminate();
    });
    this.ended = new Promise<Failure>((resolve) => {
      socket.once('close', (code, reason) => {
        this.#watchdog.stop();
        resolve(
          this.#endReason ?? {
            kind: 'closed',
            status: code,
            detail: `${options.origin}: closed by the server (${code}${reason.length > 0 ? ` ${reason.toString('utf8').slice(0, 200)}` : ''})`,
          },
        );
      });
    });
    socket.on('error', (err) => {
      this.#endReason ??= { kind: 'network', detail: `${options.origin}: ${err.message}` };
    });
    socket.on('message', (data: Buffer) => {
      this.#watchdog.touch();
      const bytes = Buffer.isBuffer(data) ? data : Buffer.from(data as unknown as ArrayBuffer);
      sink.push({ data: bytes, totalBytes: bytes.length, receivedAt: this.#clock.now(), origin: options.origin });
    });
    socket.on('ping', () => {
      this.#watchdog.touch();
      sink.heartbeat();
    });
    socket.on('pong', () => this.#watchdog.touch());
    options.onOpen?.(socket);
  }

  pause(): void {
    this.#watchdog.suspend();
    this.#socket.pause();
  }

  resume(): void {
    this.#socket.resume();
    this.#watchdog.resume();
  }

  close(): void {
    if (this.#closing) return;
    this.#closing = true;
    this.#endReason ??= { kind: 'closed', detail: 'closed by tagwatch' };
    this.#watchdog.stop();
    this.#socket.close(1000, 'tagwatch stopping');
    // A paused socket never reads the server's close reply; do not wait for it forever.
    this.#clock.setTimer(CLOSE_GRACE_MS, () => this.#socket.terminate());
  }
}

function readBody(res: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = (): void => resolve(Buffer.concat(chunks).toString('utf8').slice(0, limit));
    res.on('data', (chunk: Buffer) => {
      if (size < limit) chunks.push(chunk);
      size += chunk.length;
      if (size >= limit) {
        res.destroy();
        done();
      }
    });
    res.on('end', done);
    res.on('error', done);
    res.on('close', done);
  });
}
