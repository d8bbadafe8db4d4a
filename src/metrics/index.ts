export {
  stageRecords,
  stageBatchSeconds,
  stageErrors,
  queueDepth,
  consumerLag,
  flagsFired,
  webhookDeliveries,
  webhookLatencySeconds,
  deadLetters,
  sinkRows,
  sinkWriteErrors,
  liveTags,
  watermarkSeconds,
  latePosts,
  webSockets,
  webRequests,
  observeQueueDepth,
  collectProcessMetrics,
  renderMetrics,
} from './tagwatch-metrics.ts';
export type { WebhookOutcome, DepthSource } from './types.ts';
export { MetricsServer, type MetricsServerSettings } from './metrics-server.ts';
export { MetricsOptionsSchema, type MetricsOptions } from './options.ts';
export { ListenAddressSchema, parseListenAddress, localUrl } from './listen-address.ts';
export { streamObserver } from './stream-observer.ts';
