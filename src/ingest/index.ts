export { IngestStage } from './ingest-stage.ts';
export { IngestOptionsSchema, type IngestOptions } from './options.ts';
export { RecentKeys } from './recent-keys.ts';
export type { IngestStats } from './types.ts';
