import { z } from 'zod';
import { ErrorCodes, ValidationError } from '../../errors/index.ts';
import type { Flag, TagEvent, TagMinute } from '../../model/index.ts';
import type { TagDetector } from '../detector.ts';
import { CoordinationOptionsSchema, type CoordinationOptions, type CoordinationOptionsInput } from './options.ts';
import { unpackCheckpoint } from './checkpoint-codec.ts';
import { TagCoordinationState, type TagCoordinationSnapshot } from './tag-coordination-state.ts';

// Checkpoints come back from the store or a changelog topic: check the envelope before trusting it.
const SnapshotEnvelopeSchema = z.looseObject({
  v: z.literal(2),
  display: z.string(),
  clock: z.number().nullable(),
  pendingEvalAt: z.number().nullable(),
  ids: z.array(z.string()),
  posts: z.array(z.string()),
  book: z.looseObject({ accounts: z.array(z.unknown()), slotTotals: z.array(z.number()) }),
  texts: z.looseObject({ ids: z.array(z.number()), signatures: z.string() }),
  copypasta: z.looseObject({ groups: z.array(z.unknown()) }),
  paraphrase: z.looseObject({ pairs: z.array(z.unknown()) }),
  coActivity: z.looseObject({ pairs: z.array(z.number()) }),
  rings: z.looseObject({ recent: z.array(z.unknown()), pairs: z.array(z.unknown()), swarms: z.array(z.unknown()) }),
  push: z.array(z.number()),
  episode: z.unknown(),
  spam: z.array(z.unknown()),
});

/** Format 1 (before compaction: megabytes on a hot tag). Not read: the tag's coordination state restarts. */
const LegacyEnvelopeSchema = z.looseObject({ v: z.literal(1) });

/**
 * Coordinated-burst detection for the analyze stage: copy-pasta, synchronized co-activity,
 * repost rings and pushes, grouped into clusters of accounts and scored with their traits.
 * Emits `coordinated` flags (one id per tag and episode, revised as it grows) and `spam` flags
 * for a lone account pushing a tag. Pure event-time logic: same events, same flags.
 */
export class CoordinationDetector implements TagDetector {
  readonly name = 'coordination';
  readonly options: CoordinationOptions;
  readonly #tags = new Map<string, TagCoordinationState>();

  constructor(options: CoordinationOptionsInput | CoordinationOptions = {}) {
    this.options = CoordinationOptionsSchema.parse(options);
  }

  observe(event: TagEvent): Flag[] {
    if (!this.options.enabled) return [];
    return this.#state(event.tag, event.display).observe(event);
  }

  advance(tag: string, now: number, _minute: TagMinute | undefined): Flag[] {
    return this.#tags.get(tag)?.advance(now) ?? [];
  }

  snapshot(tag: string): unknown {
    return this.#tags.get(tag)?.snapshot();
  }

  /**
   * Restores one tag. A format-1 checkpoint (written before the state was compacted) is not
   * converted: the tag's coordination state restarts empty (its evidence is rebuilt from the next
   * posts), while the analyze stage restores the rest of the tag. Anything else that is not a
   * format-2 snapshot is refused.
   */
  restore(tag: string, state: unknown): void {
    if (LegacyEnvelopeSchema.safeParse(state).success) {
      this.#tags.delete(tag);
      return;
    }
    const parsed = SnapshotEnvelopeSchema.safeParse(unpackCheckpoint(tag, state));
    if (!parsed.success) {
      throw new ValidationError(ErrorCodes.MESSAGE_INVALID, `coordination checkpoint of #${tag} is not a version-2 snapshot: ${parsed.error.message}`, {
        input: tag,
      });
    }
    const restored = new TagCoordinationState(tag, parsed.data.display, this.options);
    restored.restore(parsed.data as unknown as TagCoordinationSnapshot);
    this.#tags.set(tag, restored);
  }

  evict(tag: string): void {
    this.#tags.delete(tag);
  }

  /** Tags currently holding state. */
  get tagCount(): number {
    return this.#tags.size;
  }

  #state(tag: string, display: string): TagCoordinationState {
    let state = this.#tags.get(tag);
    if (state === undefined) {
      state = new TagCoordinationState(tag, display, this.options);
      this.#tags.set(tag, state);
    }
    return state;
  }
}
