export { WebServer, type WebServerSettings } from './web-server.ts';
export { WebOptionsSchema, type WebOptions } from './options.ts';
export { ClickHouseReadModel } from './clickhouse-read-model.ts';
export { StorePoller } from './store-poller.ts';
export { LiveCloseCodes } from './live-channel.ts';
export { cascadeFigures } from './cascade-figures.ts';
export { AnalyzeSpreadReader, type TagViewSource } from './analyze-spread-reader.ts';
export { WEB_READ_SETTINGS, type StoreReader } from './store-rows.ts';
export {
  TagRankings,
  SeriesResolutions,
  type TagRanking,
  type SeriesResolution,
  type ReadModel,
  type LiveFeed,
  type LiveSpreadReader,
  type TopTagsQuery,
  type TopTags,
  type TopTag,
  type FlagBadge,
  type SeriesQuery,
  type TagSeries,
  type FlagsQuery,
  type FlagSummary,
  type FlagPage,
  type FlagEvidence,
  type ImplicatedAccount,
  type SamplePost,
  type TagSpread,
  type FirstPoster,
  type CoTag,
  type CascadeFigures,
  type StoreStatus,
} from './types.ts';
