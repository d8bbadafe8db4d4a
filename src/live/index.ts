export { LiveFeedStage } from './live-feed-stage.ts';
export { LiveFeedOptionsSchema, type LiveFeedOptions } from './options.ts';
export { TrendRankings, type TrendRanking, type TrendingTag, type LiveFeedEvents } from './types.ts';
