import type { Logger } from 'pino';
import type { RawPost } from '../../model/index.ts';
import { RecentKeys } from '../../ingest/index.ts';
import { decodeJsonFrame, frameDeadLetter, parseWire } from '../live/frame-decoding.ts';
import type { LiveStats } from '../live/live-stats.ts';
import type { FrameHandler, HandledFrames, RawFrame } from '../live/types.ts';
import { mapXLine } from './map-x-post.ts';
import type { XSourceOptions } from './options.ts';
import { XStreamLineSchema } from './wire.ts';

export interface XHandlerDeps {
  source: string;
  log: Logger;
  stats: LiveStats;
}

/** X stream lines → posts (deduplicated on id, for backfill overlaps), in-stream errors logged. */
export class XFrameHandler implements FrameHandler {
  readonly #options: XSourceOptions;
  readonly #deps: XHandlerDeps;
  readonly #recent: RecentKeys;

  constructor(options: XSourceOptions, deps: XHandlerDeps) {
    this.#options = options;
    this.#deps = deps;
    this.#recent = new RecentKeys(options.dedupeCapacity);
  }

  async handle(frames: readonly RawFrame[]): Promise<HandledFrames> {
    const out: HandledFrames = { posts: [], deletions: [], deadLetters: [] };
    for (const frame of frames) {
      try {
        const post = this.#handleFrame(frame);
        if (post !== undefined) out.posts.push(post);
      } catch (err) {
        out.deadLetters.push(frameDeadLetter(this.#deps.source, frame, err));
      }
    }
    return out;
  }

  #handleFrame(frame: RawFrame): RawPost | undefined {
    const line = parseWire(XStreamLineSchema, decodeJsonFrame(frame, this.#options.maxFrameBytes), 'X stream line');
    if (line.errors !== undefined && line.errors.length > 0) {
      this.#deps.stats.add('serverErrors');
      for (const problem of line.errors) {
        // operational-disconnect precedes the server closing the stream; the reconnect loop takes it from there.
        this.#deps.log.warn({ title: problem.title, detail: problem.detail, disconnectType: problem.disconnect_type }, 'X reported a problem in the stream');
      }
      if (line.data === undefined) return undefined;
    }
    const post = mapXLine(line);
    if (!this.#recent.add(post.id)) {
      this.#deps.stats.add('duplicates');
      return undefined;
    }
    return { origin: `${this.#deps.source}:${frame.origin}`, receivedAt: frame.receivedAt, post };
  }
}
