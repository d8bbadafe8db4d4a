import type { Admin, ITopicConfig } from 'kafkajs';
import type { Logger } from 'pino';
import { ErrorCodes, ExternalError } from '../../errors/index.ts';
import { Streams, type StreamName } from '../types.ts';
import type { KafkaOptions } from './options.ts';
import type { TopicNames } from './topic-names.ts';

/** Streams whose per-key state must be read back from the partition numbered like their input's. */
const COPARTITIONED: ReadonlyArray<[StreamName, StreamName]> = [[Streams.analyzeState, Streams.tagEvents]];

/** Partitions a stream's topic gets when tagwatch creates it. */
export function configuredPartitions(options: KafkaOptions, stream: StreamName): number {
  for (const [follower, leader] of COPARTITIONED) if (stream === follower) return configuredPartitions(options, leader);
  return options.streamPartitions[stream] ?? options.partitions;
}

function topicConfig(options: KafkaOptions, stream: StreamName): NonNullable<ITopicConfig['configEntries']> {
  const entries = [
    // Outputs of one batch travel in one request; allow large ones (the broker default is 1 MB).
    { name: 'max.message.bytes', value: String(8 * 1024 * 1024) },
    { name: 'min.insync.replicas', value: String(Math.min(2, options.replicationFactor)) },
  ];
  if (stream === Streams.analyzeState) {
    // A changelog: the newest snapshot per tag is kept for ever, tombstones after a day.
    entries.push(
      { name: 'cleanup.policy', value: 'compact' },
      { name: 'delete.retention.ms', value: String(24 * 3_600_000) },
      { name: 'min.cleanable.dirty.ratio', value: '0.2' },
      { name: 'segment.ms', value: String(3_600_000) },
    );
  } else {
    entries.push({ name: 'retention.ms', value: String(options.retentionMs) });
  }
  return entries;
}

/**
 * Creates the missing topics of `streams` and returns the partition count of each. An existing
 * topic is used as it is, except that a changelog must have exactly as many partitions as the
 * stream it checkpoints (otherwise a tag's state would be read from the wrong partition).
 */
export async function provisionTopics(
  admin: Admin,
  names: TopicNames,
  options: KafkaOptions,
  streams: Iterable<StreamName>,
  log: Logger,
): Promise<Map<StreamName, number>> {
  const wanted = new Set(streams);
  for (const [follower, leader] of COPARTITIONED) if (wanted.has(follower)) wanted.add(leader);
  const existing = new Set(await admin.listTopics());
  const missing = [...wanted].filter((s) => !existing.has(names.topic(s)));
  if (missing.length > 0) {
    if (!options.createTopics) {
      throw new ExternalError(ErrorCodes.KAFKA, `missing topics ${missing.map((s) => names.topic(s)).join(', ')} and kafka.createTopics is off`);
    }
    const topics = missing.map((stream) => ({
      topic: names.topic(stream),
      numPartitions: configuredPartitions(options, stream),
      replicationFactor: options.replicationFactor,
      configEntries: topicConfig(options, stream),
    }));
    // Several workers start at once: a topic created by another one meanwhile is fine.
    await admin.createTopics({ topics, waitForLeaders: true }).catch((err: unknown) => {
      if ((err as { type?: string }).type !== 'TOPIC_ALREADY_EXISTS') throw err;
    });
    log.info({ topics: topics.map((t) => `${t.topic}(${t.numPartitions})`) }, 'created topics');
  }
  const metadata = await admin.fetchTopicMetadata({ topics: [...wanted].map((s) => names.topic(s)) });
  const counts = new Map<StreamName, number>();
  for (const topic of metadata.topics) {
    const stream = names.stream(topic.name);
    if (stream !== undefined) counts.set(stream, topic.partitions.length);
  }
  for (const [follower, leader] of COPARTITIONED) {
    const f = counts.get(follower);
    const l = counts.get(leader);
    if (f !== undefined && l !== undefined && f !== l) {
      throw new ExternalError(
        ErrorCodes.KAFKA,
        `topic ${names.topic(follower)} has ${f} partitions but ${names.topic(leader)} has ${l}: they must match (state is read from the partition numbered like its input)`,
      );
    }
  }
  return counts;
}
