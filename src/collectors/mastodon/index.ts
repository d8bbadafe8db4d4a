export { MastodonCollector, streamingUrlOf, subscribeMessage, type MastodonCollectorDeps } from './mastodon-collector.ts';
export { MastodonFrameHandler } from './mastodon-frame-handler.ts';
export { MASTODON_PLATFORM, mapStatus, mapAccount, statusTags } from './map-status.ts';
export { htmlToText, decodeEntities } from './html-to-text.ts';
export type { HtmlText, StatusContext } from './types.ts';
export {
  MastodonSourceOptionsSchema,
  MastodonInstanceOptionsSchema,
  MastodonStreamSchema,
  type MastodonSourceOptions,
  type MastodonInstanceOptions,
  type MastodonStream,
} from './options.ts';
export { StreamFrameSchema, ErrorFrameSchema, StatusSchema, AccountSchema, type MastodonStatus } from './wire.ts';
export { catchUpTimelines, timelineRoute, type MastodonFetch, type CatchUpRequest, type CatchUpOutcome, type TimelineRoute } from './timeline-catch-up.ts';
export { compareStatusIds, statusIdAt } from './status-ids.ts';
