import type { Producer, Stage, StreamName, TagStateSnapshot } from '../types.ts';

/**
 * Optional hooks of a stage that only the Kafka runner calls (duck-typed, so stage code needs no
 * Kafka import). See /work/notes/kafka-hooks.md for the contract.
 */
export interface KafkaAwareStage extends Stage {
  /** Committed snapshots of the keys of a newly assigned partition, before its first batch. */
  restoreState?(partition: number, snapshots: AsyncIterable<TagStateSnapshot>): Promise<void>;
  /** The event-time watermark of an input partition advanced (`END_OF_INPUT` at the end). */
  sourceWatermark?(stream: StreamName, partition: number, watermark: number, out: Producer, info?: WatermarkInfo): Promise<void>;
  /** Right before each commit: emit the changelog of every key changed since the last checkpoint. */
  checkpoint?(out: Producer): Promise<void>;
}

/** What the transport knows about the stream besides the watermark. */
export interface WatermarkInfo {
  /**
   * Event time of the stream's first post (the collector's first record), the same on every
   * partition and kept across restarts: a stage's notion of "the stream began" that does not
   * depend on which partition it reads or whether it was restored.
   */
  streamStart?: number;
}

/** Lag of one consumer group on one partition: records written but not yet committed as processed. */
export interface PartitionLag {
  group: string;
  stream: StreamName;
  partition: number;
  /** Next offset to be written (high watermark). */
  end: number;
  /** Committed offset of the group (-1 before its first commit). */
  committed: number;
  lag: number;
}

/** Counters of one stage's runner (logs, /metrics). */
export interface RunnerFigures {
  stage: string;
  batches: number;
  records: number;
  /** Messages that failed to decode and went to the dead-letter topic. */
  malformed: number;
  /** Batches whose processing failed for good and whose records were dead-lettered. */
  failedBatches: number;
  transactions: number;
  /** Commits that failed and made the runner reset partitions to their committed state. */
  resets: number;
  rebalances: number;
  assigned: number;
}
