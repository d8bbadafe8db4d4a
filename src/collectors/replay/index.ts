export { ReplayCollector, systemClock, type ReplayClock, type ReplayProgress } from './replay-collector.ts';
export { ReplayOptionsSchema, ReplaySpeedSchema, parseReplaySpeed, type ReplayOptions, type ReplaySpeed } from './options.ts';
