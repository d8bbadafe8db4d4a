export type { Collector, CollectorOutput, CollectorStats } from './types.ts';
export { collectorOutput } from './collector-output.ts';
export { createCollector, createCollectors, type CollectorDeps } from './create-collector.ts';
export { SourcesOptionsSchema, type SourceOptions } from './options.ts';
export { ReplayCollector, ReplayOptionsSchema, parseReplaySpeed, type ReplayOptions, type ReplaySpeed } from './replay/index.ts';
export { JetstreamCollector } from './jetstream/index.ts';
export { MastodonCollector } from './mastodon/index.ts';
export { XCollector } from './x/index.ts';
