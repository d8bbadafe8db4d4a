import type { Logger } from 'pino';
import { Streams, type BusRecord, type Producer, type RecordBatch, type Stage } from '../bus/index.ts';
import { parsePost, postKey, toDeadLetter, type DeadLetter, type Post, type RawPost, type TagEvent } from '../model/index.ts';
import type { IngestOptions } from './options.ts';
import { RecentKeys } from './recent-keys.ts';
import type { IngestStats } from './types.ts';

/**
 * Validates raw posts, drops duplicates, and splits each post into one event per tag, keyed by
 * tag so that one analyze worker sees all of a tag's events. Invalid posts become dead letters
 * with the reason; the batch goes on.
 */
export class IngestStage implements Stage {
  readonly name = 'ingest';
  readonly inputs = [Streams.posts] as const;
  readonly #recent: RecentKeys;
  readonly #log: Logger;
  readonly #stats: IngestStats = { received: 0, accepted: 0, duplicates: 0, invalid: 0, tagEvents: 0, untagged: 0 };
  #closed = false;

  constructor(options: IngestOptions, log: Logger) {
    this.#recent = new RecentKeys(options.dedupeCapacity);
    this.#log = log;
  }

  stats(): IngestStats {
    return { ...this.#stats };
  }

  async process(batch: RecordBatch, out: Producer): Promise<void> {
    const accepted: Array<BusRecord<'accepted'>> = [];
    const events: Array<BusRecord<'tag-events'>> = [];
    const dead: Array<BusRecord<'dlq'>> = [];
    const now = Date.now();
    for (const record of batch.records as ReadonlyArray<BusRecord<'posts'>>) {
      this.#stats.received++;
      const raw: RawPost = record.value;
      let post: Post;
      try {
        post = parsePost(raw.post);
      } catch (err) {
        this.#stats.invalid++;
        const letter: DeadLetter = toDeadLetter(this.name, raw.origin, err, raw.post, now);
        dead.push({ key: raw.origin, value: letter });
        continue;
      }
      const key = postKey(post.platform, post.id);
      if (!this.#recent.add(key)) {
        this.#stats.duplicates++;
        continue;
      }
      this.#stats.accepted++;
      accepted.push({ key, value: post });
      if (post.tags.length === 0) this.#stats.untagged++;
      for (let i = 0; i < post.tags.length; i++) {
        const tag = post.tags[i] as string;
        const event: TagEvent = { tag, display: post.tagDisplay[i] ?? tag, post };
        events.push({ key: tag, value: event });
      }
    }
    this.#stats.tagEvents += events.length;
    if (dead.length > 0) this.#log.debug({ count: dead.length }, 'invalid posts dead-lettered');
    // All three go out before the batch is acknowledged; a replayed batch re-sends them, which downstream absorbs.
    await Promise.all([out.send(Streams.deadLetters, dead), out.send(Streams.accepted, accepted), out.send(Streams.tagEvents, events)]);
  }

  /**
   * Kafka mode: the partitions' uncommitted batches will be processed again (here or by the new
   * owner). Keys remembered from them must not turn those replays into dropped "duplicates";
   * the set is not partition-aware, so it is cleared — dedup here is best effort, the sink and
   * the analyze stage are idempotent anyway.
   */
  async onRevoked(): Promise<void> {
    this.#recent.clear();
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#log.info(this.stats(), 'ingest closed');
  }
}
