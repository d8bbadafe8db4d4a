import { Streams } from '../../bus/index.ts';
import type { StoreOptions } from '../options.ts';
import { toDeadLetterRow } from './dead-letter-rows.ts';
import { DeletionWriter } from './deletion-writer.ts';
import { toFlagRow } from './flag-rows.ts';
import { PostDeletionState } from './post-deletion-state.ts';
import { PostWriter } from './post-writer.ts';
import { tableRowWriter } from './row-writer.ts';
import { toTagMinuteRow } from './tag-minute-rows.ts';
import { createTagStateRowMapper } from './tag-state-rows.ts';
import type { StreamWriter } from './types.ts';
import { toWebhookDeliveryRow } from './webhook-delivery-rows.ts';

/**
 * The writer registry: one entry per stream the sink writes. To get a new stream stored, add a
 * `<table>-rows.ts` mapper and one `tableRowWriter({...})` entry here (see sink/index.ts).
 */
export function defaultStreamWriters(options: Pick<StoreOptions, 'recentDeletions'>, choice: StreamWriterChoice = {}): StreamWriter[] {
  const deletions = new PostDeletionState(options.recentDeletions);
  return [
    new PostWriter(deletions),
    new DeletionWriter(deletions),
    tableRowWriter({ stream: Streams.metrics, table: 'tag_minute', toRow: toTagMinuteRow }),
    ...(choice.tagState === false ? [] : [tableRowWriter({ stream: Streams.analyzeState, table: 'tag_state', toRow: createTagStateRowMapper() })]),
    tableRowWriter({ stream: Streams.flags, table: 'flags', toRow: toFlagRow }),
    tableRowWriter({ stream: Streams.deadLetters, table: 'dead_letters', toRow: toDeadLetterRow }),
    tableRowWriter({ stream: Streams.deliveries, table: 'webhook_deliveries', toRow: toWebhookDeliveryRow }),
  ];
}

export interface StreamWriterChoice {
  /**
   * Store the analyze stage's checkpoints in `tag_state` (default true). The embedded runtime
   * restores from that table; on Kafka the compacted `analyze-state` topic is where analyze
   * workers restore from, and copying every checkpoint into ClickHouse as well took about a fifth
   * of the sink's CPU (decode, re-encode, insert) for a table nothing reads in that mode.
   */
  tagState?: boolean;
}

/** The sink's writers on Kafka: checkpoints stay in their compacted topic. */
export const KAFKA_SINK_WRITERS: StreamWriterChoice = { tagState: false };
