import { z } from 'zod';
import { ErrorCodes, ValidationError } from '../../errors/index.ts';
import type { Flag, TagEvent, TagMinute } from '../../model/index.ts';
import type { TagDetector } from '../detector.ts';
import { CoordinationOptionsSchema, type CoordinationOptions, type CoordinationOptionsInput } from './options.ts';
import { unpackCheckpoint } from './checkpoint-codec.ts';
import { TagCoordinationState, type TagCoordinationSnapshot } from './tag-coordination-state.ts';
import { StateBytes, postBytes } from './state-bytes.ts';
import { TextSigner } from './text-signer.ts';

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

/** A tag that has had one event so far: that event (see `CoordinationDetector`). */
const FirstEventEnvelopeSchema = z.object({
  v: z.literal(2),
  first: z.looseObject({
    tag: z.string(),
    display: z.string(),
    post: z.looseObject({
      platform: z.string(),
      id: z.string(),
      ts: z.number(),
      kind: z.string(),
      text: z.string(),
      author: z.looseObject({ id: z.string() }),
    }),
  }),
});

/** Format 1 (before compaction: megabytes on a hot tag). Not read: the tag's coordination state restarts. */
const LegacyEnvelopeSchema = z.looseObject({ v: z.literal(1) });

/**
 * Coordinated-burst detection for the analyze stage: copy-pasta, synchronized co-activity,
 * repost rings and pushes, grouped into clusters of accounts and scored with their traits.
 * Emits `coordinated` flags (one id per tag and episode, revised as it grows) and `spam` flags
 * for a lone account pushing a tag. Pure event-time logic: same events, same flags.
 *
 * Most tags of a live stream are seen once and never again, and one post proves nothing: a tag's
 * first event is only kept (the post object is shared with the post's other tags), and its state
 * is built when a second event arrives, by replaying the first, which gives exactly the state it
 * would have had.
 */
export class CoordinationDetector implements TagDetector {
  readonly name = 'coordination';
  readonly options: CoordinationOptions;
  readonly #tags = new Map<string, TagCoordinationState>();
  /** Tags with a single event so far. */
  readonly #first = new Map<string, TagEvent>();

  /** Signs each text once for all the tags of its post. */
  readonly #signer: TextSigner;

  constructor(options: CoordinationOptionsInput | CoordinationOptions = {}) {
    this.options = CoordinationOptionsSchema.parse(options);
    this.#signer = new TextSigner(this.options.texts.minTokens);
  }

  observe(event: TagEvent): Flag[] {
    if (!this.options.enabled) return [];
    const state = this.#tags.get(event.tag);
    if (state !== undefined) return state.observe(event);
    const first = this.#first.get(event.tag);
    if (first === undefined) {
      this.#first.set(event.tag, event);
      return [];
    }
    this.#first.delete(event.tag);
    const created = new TagCoordinationState(event.tag, first.display, this.options, this.#signer);
    this.#tags.set(event.tag, created);
    return [...created.observe(first), ...created.observe(event)];
  }

  advance(tag: string, now: number, _minute: TagMinute | undefined): Flag[] {
    return this.#tags.get(tag)?.advance(now) ?? [];
  }

  snapshot(tag: string): unknown {
    const first = this.#first.get(tag);
    if (first !== undefined) return { v: 2, first };
    return this.#tags.get(tag)?.snapshot();
  }

  /**
   * Restores one tag. A format-1 checkpoint (written before the state was compacted) is not
   * converted: the tag's coordination state restarts empty (its evidence is rebuilt from the next
   * posts), while the analyze stage restores the rest of the tag. Anything else that is not a
   * format-2 snapshot is refused.
   */
  restore(tag: string, state: unknown): void {
    this.evict(tag);
    if (LegacyEnvelopeSchema.safeParse(state).success) return;
    const first = FirstEventEnvelopeSchema.safeParse(state);
    if (first.success) {
      this.#first.set(tag, first.data.first as unknown as TagEvent);
      return;
    }
    const parsed = SnapshotEnvelopeSchema.safeParse(unpackCheckpoint(tag, state));
    if (!parsed.success) {
      throw new ValidationError(ErrorCodes.MESSAGE_INVALID, `coordination checkpoint of #${tag} is not a version-2 snapshot: ${parsed.error.message}`, {
        input: tag,
      });
    }
    const restored = new TagCoordinationState(tag, parsed.data.display, this.options, this.#signer);
    restored.restore(parsed.data as unknown as TagCoordinationSnapshot);
    this.#tags.set(tag, restored);
  }

  evict(tag: string): void {
    this.#tags.delete(tag);
    this.#first.delete(tag);
  }

  /**
   * Rough bytes held for all tags (`TagDetector.bytes`): each tag's state, and for a tag seen once
   * its kept event and post (shared with the post's other tags, counted for each).
   */
  bytes(): number {
    let total = 0;
    for (const state of this.#tags.values()) total += StateBytes.mapEntry + state.bytes;
    for (const event of this.#first.values()) total += StateBytes.mapEntry + 24 + postBytes(event.post.text);
    return total;
  }

  /** Tags currently holding state (including tags with a single event). */
  get tagCount(): number {
    return this.#tags.size + this.#first.size;
  }
}
