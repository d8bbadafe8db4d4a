import { Streams, type BusRecord, type RecordBatch } from '../bus/index.ts';
import { parsePost, type Post } from '../model/index.ts';

/** Validated posts of JSONL lines (as ingest validates them); invalid lines are skipped and counted. */
export function parseLines(lines: readonly string[]): { posts: Post[]; invalid: number } {
  const posts: Post[] = [];
  let invalid = 0;
  for (const line of lines) {
    try {
      posts.push(parsePost(JSON.parse(line)));
    } catch {
      invalid++;
    }
  }
  return { posts, invalid };
}

/**
 * `tag-events` batches of at most `batchSize` records, built the way IngestStage splits posts:
 * one record per (post, tag), keyed by the normalized tag, in post order.
 */
export function tagEventBatches(posts: readonly Post[], batchSize: number): Array<RecordBatch<'tag-events'>> {
  const batches: Array<RecordBatch<'tag-events'>> = [];
  let records: Array<BusRecord<'tag-events'>> = [];
  for (const post of posts) {
    for (let i = 0; i < post.tags.length; i++) {
      const tag = post.tags[i] as string;
      records.push({ key: tag, value: { tag, display: post.tagDisplay[i] ?? tag, post } });
      if (records.length >= batchSize) {
        batches.push({ stream: Streams.tagEvents, partition: 0, records });
        records = [];
      }
    }
  }
  if (records.length > 0) batches.push({ stream: Streams.tagEvents, partition: 0, records });
  return batches;
}
