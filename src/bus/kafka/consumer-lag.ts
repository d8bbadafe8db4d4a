import type { Admin } from 'kafkajs';
import type { StreamName } from '../types.ts';
import type { TopicNames } from './topic-names.ts';
import type { PartitionLag } from './types.ts';

/**
 * Lag of a consumer group per partition: the end of each partition minus the group's committed
 * offset (from the start of the partition when nothing is committed yet).
 */
export async function fetchConsumerLag(admin: Admin, names: TopicNames, group: string, streams: readonly StreamName[]): Promise<PartitionLag[]> {
  const out: PartitionLag[] = [];
  const committed = await admin.fetchOffsets({ groupId: group, topics: streams.map((s) => names.topic(s)) });
  for (const stream of streams) {
    const topic = names.topic(stream);
    const ends = await admin.fetchTopicOffsets(topic);
    const mine = committed.find((c) => c.topic === topic);
    for (const { partition, high, low } of ends) {
      const offset = Number(mine?.partitions.find((p) => p.partition === partition)?.offset ?? -1);
      const end = Number(high);
      const from = offset >= 0 ? offset : Number(low);
      out.push({ group, stream, partition, end, committed: offset, lag: Math.max(0, end - from) });
    }
  }
  return out.sort((a, b) => (a.stream === b.stream ? a.partition - b.partition : a.stream < b.stream ? -1 : 1));
}
