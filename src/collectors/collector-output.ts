import { Streams, type Producer } from '../bus/index.ts';
import { postKey, type DeadLetter, type Deletion, type RawPost } from '../model/index.ts';
import type { CollectorOutput } from './types.ts';

/** Keys of raw posts: `platform:id` when the record has them, else its origin (dead letters stay ordered). */
function rawKey(record: RawPost): string {
  const post = record.post as { platform?: unknown; id?: unknown } | null;
  if (post !== null && typeof post === 'object' && typeof post.platform === 'string' && typeof post.id === 'string') {
    return postKey(post.platform, post.id);
  }
  return record.origin;
}

/** Connects a collector to the pipeline's streams (in-process queues or Kafka topics alike). */
export function collectorOutput(producer: Producer): CollectorOutput {
  return {
    posts: (records: RawPost[]) => producer.send(Streams.posts, records.map((value) => ({ key: rawKey(value), value }))),
    deletions: (records: Deletion[]) =>
      producer.send(Streams.deletions, records.map((value) => ({ key: postKey(value.platform, value.id), value }))),
    deadLetters: (records: DeadLetter[]) => producer.send(Streams.deadLetters, records.map((value) => ({ key: value.ref, value }))),
  };
}
