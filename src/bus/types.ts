import type { DeadLetter, Deletion, Flag, Post, RawPost, TagEvent, TagMinute, WebhookDelivery } from '../model/index.ts';

/**
 * The named streams between stages. In embedded mode each is a bounded in-process queue; in
 * Kafka mode each is the topic `tagwatch.<name>`. Keys decide partitions (and so which worker
 * owns a tag): the stage code never sees the difference.
 */
export const Streams = {
  /** Raw posts from collectors; key `platform:id`. */
  posts: 'posts',
  /** Validated, deduplicated posts for the sink; key `platform:id`. */
  accepted: 'accepted',
  /** One record per (post, tag); key = normalized tag. */
  tagEvents: 'tag-events',
  /** Closed (or revised) tag minutes; key = tag. */
  metrics: 'metrics',
  /** Flags from the detectors; key = tag. */
  flags: 'flags',
  /** Per-tag analyze state checkpoints (a compacted changelog in Kafka); key = tag, null value = tombstone. */
  analyzeState: 'analyze-state',
  /** Platform deletions; key `platform:id`. */
  deletions: 'deletions',
  /** Webhook delivery attempts, for the `webhook_deliveries` table; key = subscriber. */
  deliveries: 'webhook-deliveries',
  /** Records that could not be processed, with the reason. */
  deadLetters: 'dlq',
} as const;

export type StreamName = (typeof Streams)[keyof typeof Streams];

/** A checkpoint of one tag's analyze state: opaque to everything but the analyze stage. */
export interface TagStateSnapshot {
  tag: string;
  /** Serialized state (JSON-compatible). */
  state: unknown;
}

/** The value type carried by each stream. */
export interface StreamValues {
  posts: RawPost;
  accepted: Post;
  'tag-events': TagEvent;
  metrics: TagMinute;
  flags: Flag;
  'analyze-state': TagStateSnapshot | null;
  deletions: Deletion;
  'webhook-deliveries': WebhookDelivery;
  dlq: DeadLetter;
}

export interface BusRecord<S extends StreamName = StreamName> {
  key: string;
  value: StreamValues[S];
}

/** A batch handed to a stage: records of one stream and one partition, in order. */
export interface RecordBatch<S extends StreamName = StreamName> {
  stream: S;
  partition: number;
  records: ReadonlyArray<BusRecord<S>>;
}

/**
 * Where a stage sends its outputs. `send` resolves once the records are durably handed on
 * (enqueued in-process, acknowledged by the broker in Kafka mode); a full downstream makes it
 * wait, which is how backpressure travels upstream.
 */
export interface Producer {
  send<S extends StreamName>(stream: S, records: ReadonlyArray<BusRecord<S>>): Promise<void>;
}

/**
 * A pipeline stage. The transport calls `process` with a batch and acknowledges (commits) the
 * batch only after `process` resolved, so every output of a batch is handed on before its input
 * is forgotten. Stages hold no transport-specific code.
 */
export interface Stage {
  readonly name: string;
  readonly inputs: readonly StreamName[];
  /**
   * How this stage wants its input batched: up to `maxRecords`, waiting at most `maxWaitMs` for a
   * batch to fill (the sink batches ClickHouse writes this way, and its acknowledgement still
   * follows the write). Default: whatever is waiting, up to the transport's batch size.
   */
  readonly batching?: { maxRecords: number; maxWaitMs: number };
  process(batch: RecordBatch, out: Producer): Promise<void>;
  /**
   * Called when the transport stops intake and upstream has drained: emit whatever is still
   * buffered (open windows, pending writes). `final` is true at end of input (replay finished).
   */
  flush?(out: Producer, final: boolean): Promise<void>;
  /** Kafka mode: partitions of the input streams this worker now owns (rebuild state first). */
  onAssigned?(stream: StreamName, partitions: readonly number[]): Promise<void>;
  /** Kafka mode: partitions taken away; flush what belongs to them before the commit. */
  onRevoked?(stream: StreamName, partitions: readonly number[], out: Producer): Promise<void>;
  close(): Promise<void>;
}
