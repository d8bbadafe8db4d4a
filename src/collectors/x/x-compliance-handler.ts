import type { Logger } from 'pino';
import type { Deletion } from '../../model/index.ts';
import { RecentKeys } from '../../ingest/index.ts';
import { decodeJsonFrame, frameDeadLetter, parseWire } from '../live/frame-decoding.ts';
import type { LiveStats } from '../live/live-stats.ts';
import type { FrameHandler, HandledFrames, RawFrame } from '../live/types.ts';
import { XComplianceLineSchema } from './compliance-wire.ts';
import { mapXComplianceEvent } from './map-x-compliance.ts';

export interface XComplianceHandlerDeps {
  source: string;
  log: Logger;
  stats: LiveStats;
  /** Compliance events remembered to drop repeats (backfill, several partitions after a rebalance), in entries. */
  dedupeCapacity: number;
  maxFrameBytes: number;
}

/**
 * X compliance stream lines → post deletions (`delete`, `drop`) and account deletions
 * (`user_delete`, `user_suspend`, `user_protect`). Other event types are counted as ignored.
 */
export class XComplianceFrameHandler implements FrameHandler {
  readonly #deps: XComplianceHandlerDeps;
  readonly #recent: RecentKeys;

  constructor(deps: XComplianceHandlerDeps) {
    this.#deps = deps;
    this.#recent = new RecentKeys(deps.dedupeCapacity);
  }

  async handle(frames: readonly RawFrame[]): Promise<HandledFrames> {
    const out: HandledFrames = { posts: [], deletions: [], deadLetters: [] };
    for (const frame of frames) {
      try {
        const deletion = this.#handleFrame(frame);
        if (deletion !== undefined) out.deletions.push(deletion);
      } catch (err) {
        out.deadLetters.push(frameDeadLetter(this.#deps.source, frame, err));
      }
    }
    return out;
  }

  #handleFrame(frame: RawFrame): Deletion | undefined {
    const line = parseWire(XComplianceLineSchema, decodeJsonFrame(frame, this.#deps.maxFrameBytes), 'X compliance line');
    if (line.errors !== undefined && line.errors.length > 0) {
      this.#deps.stats.add('serverErrors');
      for (const problem of line.errors) {
        this.#deps.log.warn({ title: problem.title, detail: problem.detail, disconnectType: problem.disconnect_type, endpoint: frame.origin }, 'X reported a problem in the compliance stream');
      }
    }
    if (line.data === undefined) {
      if (line.errors === undefined) this.#deps.stats.add('ignored');
      return undefined;
    }
    const outcome = mapXComplianceEvent(line.data, frame.receivedAt);
    if ('ignored' in outcome) {
      this.#deps.stats.add('ignored');
      return undefined;
    }
    const { deletion } = outcome;
    if (!this.#recent.add(`${outcome.event} ${deletion.id}`)) {
      this.#deps.stats.add('duplicates');
      return undefined;
    }
    return deletion;
  }
}
