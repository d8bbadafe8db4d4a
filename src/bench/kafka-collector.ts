import { KafkaPipeline, type KafkaOptions } from '../bus/kafka/index.ts';
import { collectorOutput } from '../collectors/collector-output.ts';
import { ReplayCollector, ReplayOptionsSchema } from '../collectors/replay/index.ts';
import { silentLogger } from '../log/index.ts';
import type { RawPost } from '../model/index.ts';
import { readLineChunks } from './jsonl-lines.ts';

/**
 * `tagwatch replay FILE --speed max` with Kafka as the transport: the ReplayCollector produces
 * into `posts` through the collectors' producer, then the END watermark closes the input.
 * Returns the wall time the first line was read at.
 */
export async function replayIntoKafka(options: KafkaOptions, file: string): Promise<{ posts: number; startedAt: number; producedAt: number }> {
  const collector = new KafkaPipeline(options, silentLogger());
  const replay = new ReplayCollector(ReplayOptionsSchema.parse({ file, speed: 'max' }), silentLogger());
  try {
    await collector.start();
    const startedAt = Date.now();
    const stats = await replay.run(collectorOutput(collector), new AbortController().signal);
    await collector.flush(true);
    return { posts: stats.posts, startedAt, producedAt: Date.now() };
  } finally {
    await replay.close();
    await collector.close();
  }
}

/** What the latency analysis needs of each post produced, in produce (= file = event-time) order. */
export interface ProducedPosts {
  /** Event time of each post, epoch ms. */
  ts: Float64Array;
  /** Wall time each post was handed to the producer, epoch ms. */
  sentAt: Float64Array;
  /** The wire post's text and explicit tags, for resolving its tags afterwards. */
  wire: Array<{ text: string; tags?: string[] }>;
  startedAt: number;
  finishedAt: number;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Produces the first `maxPosts` posts of `file` into Kafka at `rate` posts per wall-clock second
 * (slices of 10 ms), without waiting for one batch's acknowledgement before the next (the
 * producer's own bound on unacknowledged records applies), recording when each post was handed
 * over. No END watermark: minutes and flags close only as the stream moves on, as they do live.
 */
export async function pacedIntoKafka(options: KafkaOptions, file: string, rate: number, maxPosts: number): Promise<ProducedPosts> {
  const collector = new KafkaPipeline(options, silentLogger());
  const out = collectorOutput(collector);
  const ts = new Float64Array(maxPosts);
  const sentAt = new Float64Array(maxPosts);
  const wire: Array<{ text: string; tags?: string[] }> = [];
  const inFlight = new Set<Promise<void>>();
  const sliceMs = 10;
  const perSlice = Math.max(1, Math.round((rate * sliceMs) / 1000));
  let n = 0;
  let batch: RawPost[] = [];
  try {
    await collector.start();
    const startedAt = Date.now();
    const send = async (records: RawPost[]): Promise<void> => {
      const due = startedAt + ((n - records.length) / rate) * 1000;
      const wait = due - Date.now();
      if (wait > 0) await sleep(wait);
      const now = Date.now();
      for (let i = n - records.length; i < n; i++) sentAt[i] = now;
      const p = out.posts(records);
      inFlight.add(p);
      void p.finally(() => inFlight.delete(p));
      // Bound the promises in hand; the producer bounds unacknowledged records itself.
      if (inFlight.size >= 64) await Promise.race(inFlight);
    };
    outer: for await (const lines of readLineChunks(file)) {
      for (const line of lines) {
        if (n >= maxPosts) break outer;
        const post = JSON.parse(line) as { createdAt: string; text: string; tags?: string[] };
        ts[n] = Date.parse(post.createdAt);
        wire.push(post.tags === undefined ? { text: post.text } : { text: post.text, tags: post.tags });
        batch.push({ origin: 'bench:latency', receivedAt: Date.now(), post });
        n++;
        if (batch.length >= perSlice) {
          await send(batch);
          batch = [];
        }
      }
    }
    if (batch.length > 0) await send(batch);
    await Promise.all(inFlight);
    await collector.drain();
    return { ts: ts.subarray(0, n), sentAt: sentAt.subarray(0, n), wire, startedAt, finishedAt: Date.now() };
  } finally {
    await collector.close();
  }
}
