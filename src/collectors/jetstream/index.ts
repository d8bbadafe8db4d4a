export { JetstreamCollector, type JetstreamCollectorDeps } from './jetstream-collector.ts';
export { JetstreamFrameHandler } from './jetstream-frame-handler.ts';
export { ProfileEnricher } from './profile-enricher.ts';
export type { AuthorFields, CommitRef, FetchLike, ProfileEnricherStats } from './types.ts';
export {
  BLUESKY_PLATFORM,
  atUri,
  eventTime,
  postTags,
  mapPostCreate,
  mapRepostCreate,
  mapDelete,
  mapAccountEvent,
  REDACTING_ACCOUNT_STATUSES,
} from './map-jetstream.ts';
export {
  JetstreamSourceOptionsSchema,
  ProfileEnrichmentOptionsSchema,
  DEFAULT_JETSTREAM_URL,
  type JetstreamSourceOptions,
  type ProfileEnrichmentOptions,
} from './options.ts';
export { EnvelopeSchema, CommitEventSchema, PostRecordSchema, RepostRecordSchema, GetProfilesResponseSchema, Collections } from './wire.ts';
