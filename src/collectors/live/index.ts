export { systemLiveClock, type LiveClock } from './clock.ts';
export { Secret, resolveSecret } from './secret.ts';
export { safeUrl, hostOf } from './safe-url.ts';
export { BoundedMap } from './bounded-map.ts';
export { ExponentialBackoff, FailureKinds, type BackoffPolicy, type Failure, type FailureKind, type ExponentialBackoffOptions } from './backoff.ts';
export { IdleWatchdog } from './idle-watchdog.ts';
export { SourceFailureError, failureOf } from './source-failure.ts';
export { LiveStats, StatsReporter } from './live-stats.ts';
export { FramePump, type Pausable } from './frame-pump.ts';
export { LiveCollectorRunner, type LiveRunnerOptions, type LiveRunnerDeps } from './live-collector-runner.ts';
export { openWebSocketSession, type WebSocketSessionOptions } from './websocket-session.ts';
export { RecentPostTags, type ParentTagResolver } from './parent-tags.ts';
export {
  LiveSourceOptionsShape,
  ExponentialBackoffOptionsSchema,
  SecretSchema,
  EnvVarNameSchema,
  SourceNameSchema,
} from './options.ts';
export type { RawFrame, HandledFrames, FrameHandler, FrameSink, LiveSession, LiveConnector, LiveCollectorStats } from './types.ts';
export { decodeJsonFrame, parseJson, parseWire, frameDeadLetter } from './frame-decoding.ts';
export { LineSplitter } from './line-splitter.ts';
export { OriginRoutedHandler } from './origin-routed-handler.ts';
export { CursorFile } from './cursor-file.ts';
