import { z } from 'zod';

const boolish = z.union([z.boolean(), z.stringbool()]);
const positiveInt = z.number().int().min(1);

/** TLS towards the brokers (managed clusters). File paths are read at connect time. */
export const KafkaTlsOptionsSchema = z.strictObject({
  enabled: boolish.default(false),
  /** PEM file with the CA certificate(s) to trust; empty = the system's trust store. */
  caFile: z.string().min(1).optional(),
  /** Client certificate and key (PEM files) for mutual TLS. */
  certFile: z.string().min(1).optional(),
  keyFile: z.string().min(1).optional(),
  /** Only for test clusters with self-signed certificates. */
  rejectUnauthorized: boolish.default(true),
  /** SNI / certificate host name when it differs from the bootstrap host. */
  servername: z.string().min(1).optional(),
});

export const KafkaSaslOptionsSchema = z.strictObject({
  mechanism: z.enum(['plain', 'scram-sha-256', 'scram-sha-512']),
  username: z.string().min(1),
  password: z.string().min(1),
});

/**
 * Kafka mode: set `brokers` (KAFKA_BROKERS) and every stage runs as a consumer group on the
 * topics `<topicPrefix><stream>`. Empty `brokers` = embedded mode (in-process queues).
 */
export const KafkaOptionsSchema = z.strictObject({
  /** Bootstrap servers, `host:port`. */
  brokers: z.array(z.string().regex(/^[^\s:]+:\d{1,5}$/, 'host:port')).default([]),
  clientId: z.string().min(1).default('tagwatch'),
  /** Topics are `<topicPrefix><stream>`, consumer groups `<topicPrefix><stage>`. */
  topicPrefix: z.string().regex(/^[A-Za-z0-9._-]*$/, 'letters, digits, ".", "_" and "-"').default('tagwatch.'),
  /** Identifies this worker's transactional producers: two live workers must never share one. Default: host name and pid. */
  workerId: z.string().regex(/^[A-Za-z0-9._-]+$/, 'letters, digits, ".", "_" and "-"').optional(),
  /** Partitions of topics created at start (existing topics are left as they are). */
  partitions: positiveInt.max(10_000).default(6),
  /** Per-stream overrides of `partitions`, e.g. `{ "posts": 12 }`. `analyze-state` always follows `tag-events`. */
  streamPartitions: z.record(z.string(), positiveInt.max(10_000)).default({}),
  replicationFactor: positiveInt.max(16).default(1),
  /** Create missing topics at start (needs the CreateTopics permission on managed clusters). */
  createTopics: boolish.default(true),
  /** Retention of the data topics, in ms (`analyze-state` is compacted instead). */
  retentionMs: z.number().int().min(60_000).default(7 * 24 * 3_600_000),
  ssl: KafkaTlsOptionsSchema.default(KafkaTlsOptionsSchema.parse({})),
  sasl: KafkaSaslOptionsSchema.optional(),
  connectionTimeoutMs: positiveInt.default(10_000),
  requestTimeoutMs: positiveInt.default(30_000),
  producer: z
    .object({
      /** Gzip is built into kafkajs; `none` for debugging with console tools. */
      compression: z.enum(['gzip', 'none']).default('gzip'),
      /** Collectors' sends wait this long for more records to join a request, in ms. */
      lingerMs: z.number().int().min(0).max(1_000).default(5),
      /** Largest request a producer sends, in bytes of encoded (uncompressed) values. */
      maxRequestBytes: positiveInt.default(2 * 1024 * 1024),
      /** A collector's sends wait while this many records are not yet acknowledged (backpressure). */
      maxPendingRecords: positiveInt.default(20_000),
      /** How long a worker's transaction may stay open before the broker aborts it, in ms. */
      transactionTimeoutMs: positiveInt.min(1_000).default(15_000),
    })
    .default({ compression: 'gzip', lingerMs: 5, maxRequestBytes: 2 * 1024 * 1024, maxPendingRecords: 20_000, transactionTimeoutMs: 15_000 }),
  consumer: z
    .object({
      /** A worker silent for this long is dropped from its group and its partitions move, in ms. */
      sessionTimeoutMs: positiveInt.min(1_000).default(30_000),
      heartbeatIntervalMs: positiveInt.default(3_000),
      /** Members get this long to rejoin during a rebalance, in ms. */
      rebalanceTimeoutMs: positiveInt.default(60_000),
      /** Bytes fetched per partition per request (bounds a batch handed to a stage). */
      maxBytesPerPartition: positiveInt.default(1024 * 1024),
      /** The broker holds a fetch up to this long waiting for data, in ms. */
      maxWaitTimeMs: positiveInt.default(100),
    })
    .default({ sessionTimeoutMs: 30_000, heartbeatIntervalMs: 3_000, rebalanceTimeoutMs: 60_000, maxBytesPerPartition: 1024 * 1024, maxWaitTimeMs: 100 }),
  /** Consumer lag per group and partition is logged this often, in ms (0 = never). */
  lagLogIntervalMs: z.number().int().min(0).default(30_000),
  /** First delay before retrying a batch that failed with a retriable error, in ms (doubles up to `retryMaxMs`). */
  retryInitialMs: positiveInt.default(200),
  retryMaxMs: positiveInt.default(30_000),
});

export type KafkaOptions = z.output<typeof KafkaOptionsSchema>;
export type KafkaOptionsInput = z.input<typeof KafkaOptionsSchema>;
