import type { Flag, TagEvent, TagMinute } from '../model/index.ts';

/**
 * A per-tag detector run by the analyze stage. The stage releases each tag's events in
 * event-time order (ties broken by post key) from its reorder buffer, so a detector's output
 * depends only on the events, never on batch boundaries, replay speed or worker interleaving.
 * All times are event time (epoch ms); detectors never read the wall clock.
 *
 * The one exception: an event that arrives later than the stage's reorder bound (10 s by
 * default) can no longer be put in order; it is observed at once, so its time may be earlier
 * than the previous event's. `advance` is called at each minute boundary while the tag had an
 * event within `activeTickMs` (15 min by default), otherwise once, before its next event.
 */
export interface TagDetector {
  readonly name: string;
  /** One (post, tag) event, in event-time order for its tag. Returns flags fired or updated by it. */
  observe(event: TagEvent): Flag[];
  /**
   * The tag's event-time clock reached `now` (a minute of it closed, with its metrics in
   * `minute` when it had posts): expire state, run time-based evaluation.
   */
  advance(tag: string, now: number, minute: TagMinute | undefined): Flag[];
  /** JSON-compatible state of one tag for checkpoints, or undefined when it holds none. */
  snapshot(tag: string): unknown;
  restore(tag: string, state: unknown): void;
  /** Forget a tag (idle eviction, LRU cap). */
  evict(tag: string): void;
  /**
   * Rough bytes of state held for all tags together (the stage's bytes-per-live-tag figure).
   * Optional: a detector without it counts as holding nothing, which understates the figure.
   */
  bytes?(): number;
}
