import { collectDefaultMetrics, Counter, Gauge, Histogram, register, type Metric } from 'prom-client';
import type { DepthSource } from './types.ts';

/**
 * Metrics live in prom-client's default registry so `/metrics` serves them with the Node.js
 * defaults (event-loop lag, heap, GC). A module can be evaluated more than once per process
 * (test runners reset their module graph, prom-client stays cached), so each metric is looked
 * up before being created: registering a name twice would throw.
 */
function reuse<M extends Metric<string>>(name: string, create: () => M): M {
  return (register.getSingleMetric(name) as M | undefined) ?? create();
}

const depthSources = new Set<DepthSource>();

/** Records handed to a stage, per stage and input stream: `rate()` gives posts/s per stage. */
export const stageRecords = reuse(
  'tagwatch_stage_records_total',
  () =>
    new Counter({
      name: 'tagwatch_stage_records_total',
      help: 'Records processed by a stage, by stage and input stream',
      labelNames: ['stage', 'stream'] as const,
    }),
);

/** Time a stage spent in `process` per batch. */
export const stageBatchSeconds = reuse(
  'tagwatch_stage_batch_seconds',
  () =>
    new Histogram({
      name: 'tagwatch_stage_batch_seconds',
      help: 'Duration of one process() call of a stage, in seconds',
      labelNames: ['stage'] as const,
      buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 30],
    }),
);

/** Batches that failed in a stage; `retriable` is "true" or "false". */
export const stageErrors = reuse(
  'tagwatch_stage_errors_total',
  () =>
    new Counter({
      name: 'tagwatch_stage_errors_total',
      help: 'Failed process() calls of a stage, by stage and whether the error is retriable',
      labelNames: ['stage', 'retriable'] as const,
    }),
);

/**
 * Records waiting in in-process queues, by stream. Sampled at scrape time from the sources
 * registered with `observeQueueDepth`, plus whatever was `set` directly.
 */
export const queueDepth = reuse(
  'tagwatch_queue_depth',
  () =>
    new Gauge({
      name: 'tagwatch_queue_depth',
      help: 'Records waiting in an in-process queue, by stream',
      labelNames: ['stream'] as const,
      collect() {
        if (depthSources.size === 0) return;
        const totals = new Map<string, number>();
        for (const source of depthSources) {
          for (const [stream, n] of Object.entries(source())) totals.set(stream, (totals.get(stream) ?? 0) + n);
        }
        for (const [stream, n] of totals) this.set({ stream }, n);
      },
    }),
);

/** Kafka consumer lag (high watermark minus committed offset) per group, topic and partition. */
export const consumerLag = reuse(
  'tagwatch_consumer_lag',
  () =>
    new Gauge({
      name: 'tagwatch_consumer_lag',
      help: 'Kafka consumer lag in messages, by consumer group, topic and partition',
      labelNames: ['group', 'topic', 'partition'] as const,
    }),
);

/** Flags emitted by the detectors, by kind; `update` is "true" for a revision of an open flag. */
export const flagsFired = reuse(
  'tagwatch_flags_total',
  () =>
    new Counter({
      name: 'tagwatch_flags_total',
      help: 'Flags emitted by the analyze stage, by kind and whether it is an update of an open flag',
      labelNames: ['kind', 'update'] as const,
    }),
);

/** Webhook attempts by outcome (`delivered`, `retry`, `dead`). */
export const webhookDeliveries = reuse(
  'tagwatch_webhook_deliveries_total',
  () =>
    new Counter({
      name: 'tagwatch_webhook_deliveries_total',
      help: 'Webhook delivery attempts, by outcome',
      labelNames: ['outcome'] as const,
    }),
);

export const webhookLatencySeconds = reuse(
  'tagwatch_webhook_latency_seconds',
  () =>
    new Histogram({
      name: 'tagwatch_webhook_latency_seconds',
      help: 'Latency of webhook attempts that got a response, in seconds',
      labelNames: ['outcome'] as const,
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    }),
);

/** Records sent to the dead-letter stream, by the stage or collector that rejected them. */
export const deadLetters = reuse(
  'tagwatch_dead_letters_total',
  () =>
    new Counter({
      name: 'tagwatch_dead_letters_total',
      help: 'Records dead-lettered, by source (stage or collector)',
      labelNames: ['source'] as const,
    }),
);

/** Rows written to ClickHouse by the sink, by table. */
export const sinkRows = reuse(
  'tagwatch_sink_rows_total',
  () =>
    new Counter({
      name: 'tagwatch_sink_rows_total',
      help: 'Rows written to ClickHouse by the sink, by table',
      labelNames: ['table'] as const,
    }),
);

/** Failed sink writes (each retried until it succeeds), by table. */
export const sinkWriteErrors = reuse(
  'tagwatch_sink_write_errors_total',
  () =>
    new Counter({
      name: 'tagwatch_sink_write_errors_total',
      help: 'Failed ClickHouse writes of the sink, by table',
      labelNames: ['table'] as const,
    }),
);

/** Tags with live state in the analyze stage (bounded by its LRU cap). */
export const liveTags = reuse(
  'tagwatch_live_tags',
  () => new Gauge({ name: 'tagwatch_live_tags', help: 'Tags with live per-tag state in this analyze worker' }),
);

/** Event-time watermark of a stage, in epoch seconds: compare with time() to see how far behind it runs. */
export const watermarkSeconds = reuse(
  'tagwatch_watermark_seconds',
  () =>
    new Gauge({
      name: 'tagwatch_watermark_seconds',
      help: 'Event-time watermark of a stage, in epoch seconds',
      labelNames: ['stage'] as const,
    }),
);

/** Posts that arrived after their minute had closed. */
export const latePosts = reuse(
  'tagwatch_late_posts_total',
  () => new Counter({ name: 'tagwatch_late_posts_total', help: 'Posts that arrived after their event-time minute had closed' }),
);

/** WebSocket clients connected to the web UI's live feed. */
export const webSockets = reuse(
  'tagwatch_web_websockets',
  () => new Gauge({ name: 'tagwatch_web_websockets', help: 'WebSocket clients connected to the live feed' }),
);

/** HTTP API requests by route pattern (never the raw URL) and status class. */
export const webRequests = reuse(
  'tagwatch_web_requests_total',
  () =>
    new Counter({
      name: 'tagwatch_web_requests_total',
      help: 'Web API requests, by route pattern and status code class',
      labelNames: ['route', 'status'] as const,
    }),
);

/**
 * Samples `source` at every scrape into `tagwatch_queue_depth` (summed with other sources per
 * stream). Returns a function that stops sampling it, for `close()`.
 */
export function observeQueueDepth(source: DepthSource): () => void {
  depthSources.add(source);
  return () => {
    depthSources.delete(source);
  };
}

let defaultsCollected = false;

/**
 * Starts prom-client's Node.js metrics (event-loop lag, heap, GC, handles) once per process;
 * later calls do nothing. The event loop is sampled every `eventLoopPrecisionMs`.
 */
export function collectProcessMetrics(eventLoopPrecisionMs = 20): void {
  if (defaultsCollected || register.getSingleMetric('nodejs_eventloop_lag_seconds') !== undefined) {
    defaultsCollected = true;
    return;
  }
  defaultsCollected = true;
  collectDefaultMetrics({ eventLoopMonitoringPrecision: eventLoopPrecisionMs });
}

/** The text exposition of every registered metric, and its content type, for `/metrics`. */
export async function renderMetrics(): Promise<{ contentType: string; body: string }> {
  return { contentType: register.contentType, body: await register.metrics() };
}
