import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import type { Logger } from 'pino';
import { ClosedError, ErrorCodes, TagwatchError, ValidationError } from '../../errors/index.ts';
import { toDeadLetter, type DeadLetter, type RawPost } from '../../model/index.ts';
import type { Collector, CollectorOutput, CollectorStats } from '../types.ts';
import type { ReplayOptions } from './options.ts';

/** Waits until a wall-clock instant; injectable so tests pace without sleeping. */
export interface ReplayClock {
  now(): number;
  sleepUntil(wallMs: number, signal: AbortSignal): Promise<void>;
}

export const systemClock: ReplayClock = {
  now: () => Date.now(),
  sleepUntil: (wallMs, signal) =>
    new Promise<void>((resolve) => {
      const delay = wallMs - Date.now();
      if (delay <= 0 || signal.aborted) return resolve();
      const timer = setTimeout(done, delay);
      signal.addEventListener('abort', done, { once: true });
      function done(): void {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        resolve();
      }
    }),
};

export interface ReplayProgress {
  bytesRead: number;
  totalBytes: number;
  stats: CollectorStats;
}

/**
 * Replays a JSONL file of wire-format posts in event time. Lines are parsed here only as far as
 * JSON (a broken line becomes a dead letter with file, line number and reason); schema
 * validation is ingest's job, so every source is validated the same way.
 */
export class ReplayCollector implements Collector {
  readonly name = 'replay';
  readonly #options: ReplayOptions;
  readonly #clock: ReplayClock;
  readonly #log: Logger;
  readonly #onProgress: ((progress: ReplayProgress) => void) | undefined;
  readonly #stats: CollectorStats = { source: 'replay', frames: 0, posts: 0, deadLettered: 0, deletions: 0, reconnects: 0, lastEventTs: 0 };
  readonly #abort = new AbortController();
  #bytesRead = 0;
  #totalBytes = 0;
  #running = false;
  #closed = false;

  constructor(options: ReplayOptions, log: Logger, deps: { clock?: ReplayClock; onProgress?: (p: ReplayProgress) => void } = {}) {
    this.#options = options;
    this.#log = log;
    this.#clock = deps.clock ?? systemClock;
    this.#onProgress = deps.onProgress;
  }

  stats(): CollectorStats {
    return { ...this.#stats };
  }

  progress(): ReplayProgress {
    return { bytesRead: this.#bytesRead, totalBytes: this.#totalBytes, stats: this.stats() };
  }

  async run(out: CollectorOutput, signal: AbortSignal): Promise<CollectorStats> {
    if (this.#closed) throw new ClosedError(ErrorCodes.CLOSED, 'replay collector is closed');
    if (this.#running) throw new TagwatchError(ErrorCodes.USAGE, 'replay collector is already running');
    this.#running = true;
    const stop = AbortSignal.any([signal, this.#abort.signal]);
    const { file, maxLineBytes } = this.#options;
    try {
      this.#totalBytes = (await stat(file)).size;
    } catch (cause) {
      throw new TagwatchError(ErrorCodes.FILE_READ, `cannot read replay file ${file}: ${(cause as Error).message}`, { input: file, cause });
    }
    const raw = createReadStream(file);
    raw.on('data', (chunk) => {
      this.#bytesRead += chunk.length;
    });
    const input = file.endsWith('.gz') ? raw.pipe(createGunzip()) : raw;
    const lines = createInterface({ input, crlfDelay: Infinity });
    const name = basename(file);
    const origin = `replay:${name}`;
    const pending: RawPost[] = [];
    const dead: DeadLetter[] = [];
    let lineNo = 0;
    // Pacing anchors: the first post's event time is played at the wall time replay started.
    let firstEventTs: number | undefined;
    let wallStart = 0;
    const flush = async (): Promise<void> => {
      if (dead.length > 0) {
        this.#stats.deadLettered += dead.length;
        await out.deadLetters(dead.splice(0, dead.length));
      }
      if (pending.length > 0) {
        this.#stats.posts += pending.length;
        await out.posts(pending.splice(0, pending.length));
      }
      this.#onProgress?.(this.progress());
    };
    try {
      for await (const line of lines) {
        lineNo++;
        if (stop.aborted) break;
        if (line.trim().length === 0) continue;
        this.#stats.frames++;
        const ref = `${name}:${lineNo}`;
        // UTF-8 takes at most 3 bytes per UTF-16 unit: most lines are short enough not to need counting.
        if (line.length * 3 > maxLineBytes && Buffer.byteLength(line, 'utf8') > maxLineBytes) {
          dead.push(toDeadLetter(this.name, ref, new ValidationError(ErrorCodes.FRAME_TOO_LARGE, `line is longer than ${maxLineBytes} bytes`), line));
          continue;
        }
        let value: unknown;
        try {
          value = JSON.parse(line);
        } catch (cause) {
          dead.push(toDeadLetter(this.name, ref, new ValidationError(ErrorCodes.JSON_INVALID, `not valid JSON: ${(cause as Error).message}`, { cause }), line));
          continue;
        }
        const eventTs = eventTimeOf(value);
        if (this.#options.speed !== 'max' && eventTs !== undefined) {
          if (firstEventTs === undefined) {
            firstEventTs = eventTs;
            wallStart = this.#clock.now();
          }
          const due = wallStart + (eventTs - firstEventTs) / this.#options.speed;
          if (due > this.#clock.now()) {
            await flush();
            await this.#clock.sleepUntil(due, stop);
            if (stop.aborted) break;
          }
        }
        if (eventTs !== undefined && eventTs > this.#stats.lastEventTs) this.#stats.lastEventTs = eventTs;
        pending.push({ origin: `${origin}:${lineNo}`, receivedAt: this.#clock.now(), post: value });
        if (pending.length >= this.#options.batchSize) await flush();
      }
      await flush();
    } finally {
      lines.close();
      raw.destroy();
      this.#running = false;
    }
    this.#log.info({ file, ...this.#stats }, 'replay finished');
    return this.stats();
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#abort.abort();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}

function eventTimeOf(value: unknown): number | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  const created = (value as { createdAt?: unknown }).createdAt;
  if (typeof created !== 'string') return undefined;
  const ts = Date.parse(created);
  return Number.isNaN(ts) ? undefined : ts;
}
