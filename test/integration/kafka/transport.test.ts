import { afterEach, describe, expect, inject, it } from 'vitest';
import { KafkaPipeline, END_OF_INPUT, type KafkaOptions } from '../../../src/bus/kafka/index.ts';
import { Streams, type BusRecord } from '../../../src/bus/index.ts';
import { IngestOptionsSchema, IngestStage } from '../../../src/ingest/index.ts';
import { deadLetters } from '../../../src/metrics/index.ts';
import type { RawPost } from '../../../src/model/index.ts';
import { eventually, rawClient, readTopic, testKafkaOptions, testLog } from './kafka-fixture.ts';

const log = testLog();
const T0 = Date.UTC(2017, 4, 5, 18, 35);

function rawPost(i: number): BusRecord<'posts'> {
  const value: RawPost = {
    origin: `test:${i}`,
    receivedAt: 0,
    post: {
      platform: 'test',
      id: String(i),
      author: { id: `a${i % 7}` },
      createdAt: new Date(T0 + i * 1_000).toISOString(),
      text: `post ${i} #tag${i % 5} #Common`,
    },
  };
  return { key: `test:${i}`, value };
}

const open: KafkaPipeline[] = [];
function pipeline(options: KafkaOptions): KafkaPipeline {
  const p = new KafkaPipeline(options, log);
  open.push(p);
  return p;
}

afterEach(async () => {
  for (const p of open.splice(0).reverse()) await p.close();
});

describe('Kafka transport', () => {
  it('carries posts through a stage into its output topics exactly once, with watermarks relayed to every tag-events partition', async () => {
    const options = testKafkaOptions();
    const worker = pipeline(options).add(new IngestStage(IngestOptionsSchema.parse({}), log));
    await worker.start();
    const collector = pipeline(options);
    const n = 300;
    const records = Array.from({ length: n }, (_, i) => rawPost(i));
    for (let i = 0; i < n; i += 50) await collector.send(Streams.posts, records.slice(i, i + 50));
    await collector.flush(true);

    const accepted = await readTopic(`${options.topicPrefix}accepted`, (m) => m.length >= n);
    expect(accepted).toHaveLength(n);
    expect(new Set(accepted.map((m) => m.key))).toEqual(new Set(records.map((r) => r.key)));

    // Every (post, tag) pair once, and on each tag-events partition an END marker from each posts partition.
    const partitions = options.partitions;
    const tagEvents = await readTopic(`${options.topicPrefix}tag-events`, (m) => {
      const ends = m.filter((x) => x.headers['tw-control'] === 'watermark' && (x.value as { ts: number }).ts === END_OF_INPUT);
      return ends.length >= partitions * partitions;
    });
    const events = tagEvents.filter((m) => m.headers['tw-control'] === undefined);
    expect(events).toHaveLength(n * 2);
    expect(new Set(events.map((e) => `${(e.value as { post: { id: string } }).post.id}/${e.key}`)).size).toBe(n * 2);
    for (const e of events) expect(e.key).toBe((e.value as { tag: string }).tag);
    const endSources = new Set(
      tagEvents.filter((m) => (m.value as { ts?: number }).ts === END_OF_INPUT).map((m) => `${m.partition}<-${(m.value as { source: string }).source}`),
    );
    expect(endSources.size).toBe(partitions * partitions);
    // Every relayed marker tells the stream's start: the first post's event time.
    const relayed = tagEvents.filter((m) => m.headers['tw-control'] === 'watermark');
    expect(new Set(relayed.map((m) => (m.value as { start?: number }).start))).toEqual(new Set([T0]));

    const lag = await eventually(async () => {
      const l = await worker.consumerLag();
      return l.every((p) => p.lag === 0) ? l : undefined;
    }, 30_000, 'zero lag');
    expect(lag.map((l) => l.partition)).toEqual([0, 1, 2]);
    expect(worker.figures()[0]?.records).toBe(n);
  });

  it('dead-letters a malformed message with its reason and processes the rest of the partition', async () => {
    const options = testKafkaOptions({ partitions: 1 });
    const worker = pipeline(options).add(new IngestStage(IngestOptionsSchema.parse({}), log));
    await worker.start();
    const producer = rawClient().producer();
    await producer.connect();
    const good = Array.from({ length: 20 }, (_, i) => rawPost(i));
    const encode = (r: BusRecord<'posts'>): { key: string; value: string } => ({ key: r.key, value: JSON.stringify(r.value) });
    await producer.send({
      topic: `${options.topicPrefix}posts`,
      messages: [
        ...good.slice(0, 10).map(encode),
        { key: 'broken-json', value: '{"origin": "x", ' },
        { key: 'wrong-shape', value: JSON.stringify({ origin: 42, post: {} }) },
        // Valid on the wire, but not a valid post: ingest dead-letters it itself.
        { key: 'bad-post', value: JSON.stringify({ origin: 'test:bad', receivedAt: 0, post: { platform: 'test' } }) },
        ...good.slice(10).map(encode),
      ],
    });
    await producer.disconnect();

    const accepted = await readTopic(`${options.topicPrefix}accepted`, (m) => m.length >= good.length);
    expect(accepted.map((m) => m.key)).toEqual(good.map((r) => r.key));
    const dlq = await readTopic(`${options.topicPrefix}dlq`, (m) => m.length >= 3);
    expect(dlq).toHaveLength(3);
    const byPayload = (p: string): { source: string; code: string; reason: string; ref: string } =>
      dlq.find((m) => (m.value as { payload: string }).payload.includes(p))?.value as { source: string; code: string; reason: string; ref: string };
    expect(byPayload('"origin": "x"')).toMatchObject({ source: 'kafka', code: 'TW_JSON_INVALID' });
    expect(byPayload('"origin":42')).toMatchObject({ source: 'kafka', code: 'TW_MESSAGE_INVALID' });
    expect(byPayload('"origin":42').reason).toContain('origin');
    expect(byPayload('"origin":42').ref).toBe(`${options.topicPrefix}posts/0/11`);
    expect(dlq.find((m) => (m.value as { source: string }).source === 'ingest')?.value).toMatchObject({ code: 'TW_POST_INVALID', ref: 'test:bad' });
    // /metrics sees them too, counted when their transaction committed.
    const counted = (await deadLetters.get()).values.filter((v) => v.labels['source'] === 'kafka').reduce((n, v) => n + v.value, 0);
    expect(counted).toBeGreaterThanOrEqual(2);
    await eventually(async () => ((await worker.consumerLag()).every((p) => p.lag === 0) ? true : undefined), 30_000, 'zero lag');
  });

  it('talks SASL/PLAIN (as managed clusters require) and is refused with a wrong password', async () => {
    const sasl = inject('kafkaSasl');
    if (sasl === null) throw new Error('the shared broker has no SASL listener (TAGWATCH_TEST_KAFKA is set): unset it to run this test');
    const options = testKafkaOptions({ brokers: [sasl.brokers], partitions: 1, sasl: { mechanism: 'plain', username: sasl.username, password: sasl.password } });
    const worker = pipeline(options).add(new IngestStage(IngestOptionsSchema.parse({}), log));
    await worker.start();
    await pipeline(options).send(Streams.posts, [rawPost(1), rawPost(2)]);
    const accepted = await readTopic(`${options.topicPrefix}accepted`, (m) => m.length >= 2);
    expect(accepted.map((m) => m.key)).toEqual(['test:1', 'test:2']);

    const wrong = pipeline({ ...options, sasl: { mechanism: 'plain', username: sasl.username, password: 'wrong' } });
    await expect(wrong.start()).rejects.toThrow(/SASL|[Aa]uthentication/);
  });
});
