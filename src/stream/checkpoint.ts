import { z } from 'zod';
import type { TagEvent } from '../model/index.ts';
import type { PopulationPriorState } from './population-prior.ts';
import type { TagStateJSON } from './tag-state.ts';

/** Checkpoint format version; a snapshot of another version is ignored (logged), never misread. */
export const CHECKPOINT_VERSION = 1;

/**
 * Key of the stage-wide record on `analyze-state` (event-time clock, learned prior). Normalized
 * tags never contain `~`, so it cannot collide with a tag.
 */
export const STAGE_STATE_KEY = '~stage';

/** One tag's checkpoint: its core state, each detector's snapshot, and its not yet released events. */
export interface TagCheckpoint {
  v: number;
  core?: TagStateJSON;
  det?: Record<string, unknown>;
  pending?: TagEvent[];
  /**
   * Stream start of the tag's partition (the warm-up reference; null once restored and warm),
   * so a restored worker classifies tags first seen after the restore exactly as the
   * uninterrupted run did.
   */
  ss?: number | null;
  /** Next minute tick of the tag's partition (absent before its first event). */
  nt?: number;
  /** Minute tick at which the partition's tags relearn their baselines after a gap, if not done yet. */
  rw?: number;
}

/** The stage-wide record: what is learned across tags (the new-tag prior). */
export interface StageCheckpoint {
  v: number;
  prior: PopulationPriorState;
}

// The envelope is checked at the boundary; the inner state is our own format, and a tag whose
// state fails to load is skipped with a log line rather than crashing the restore.
export const TagCheckpointSchema = z.looseObject({
  v: z.literal(CHECKPOINT_VERSION),
  core: z.looseObject({ d: z.string(), t: z.array(z.number().nullable()).length(6) }).optional(),
  det: z.record(z.string(), z.unknown()).optional(),
  pending: z.array(z.looseObject({ tag: z.string(), display: z.string(), post: z.looseObject({ ts: z.number() }) })).optional(),
});

export const StageCheckpointSchema = z.object({
  v: z.literal(CHECKPOINT_VERSION),
  prior: z.object({ epochs: z.array(z.tuple([z.number(), z.array(z.number())])), mean: z.number() }),
});
