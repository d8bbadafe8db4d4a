import { z } from 'zod';
import { ExponentialBackoffOptionsSchema, LiveSourceOptionsShape } from '../live/options.ts';

/** The public Jetstream instances; any of them serves the same firehose. */
export const DEFAULT_JETSTREAM_URL = 'wss://jetstream2.us-east.bsky.network/subscribe';

export const ProfileEnrichmentOptionsSchema = z.strictObject({
  /** Off by default: enrichment needs the public AppView API (network beyond the stream). */
  enabled: z.boolean().default(false),
  /** AppView serving `app.bsky.actor.getProfiles`. */
  url: z.url({ protocol: /^https?$/, error: 'an http:// or https:// URL' }).default('https://public.api.bsky.app'),
  /** Actors per `getProfiles` call (the API allows at most 25). */
  batchSize: z.number().int().min(1).max(25).default(25),
  /** Calls per second, at most. */
  maxCallsPerSecond: z.number().positive().max(50).default(2),
  /** Wait this long for a batch to fill before calling with fewer actors, in ms. */
  batchWaitMs: z.number().int().min(0).default(250),
  /** Profiles remembered, in entries. */
  cacheSize: z.number().int().min(1).default(100_000),
  /** How long a fetched profile is trusted, in ms. */
  cacheTtlMs: z.number().int().min(1_000).default(6 * 60 * 60 * 1000),
  /** Authors waiting for a lookup; beyond this new ones are skipped (their posts go on unenriched). */
  maxPending: z.number().int().min(1).default(10_000),
  /** One call's time limit, in ms. */
  requestTimeoutMs: z.number().int().min(100).default(10_000),
  /** After a failed call (no network, API down), wait this long before trying again, in ms. */
  offlineRetryMs: z.number().int().min(100).default(5 * 60 * 1000),
});

export const JetstreamSourceOptionsSchema = z.strictObject({
  type: z.literal('jetstream'),
  ...LiveSourceOptionsShape,
  /** The `/subscribe` endpoint, ws:// or wss://. `compress=true` is never requested (zstd). */
  url: z.url({ protocol: /^wss?$/, error: 'a ws:// or wss:// URL' }).default(DEFAULT_JETSTREAM_URL),
  /** Collections to receive (NSIDs, or prefixes ending in `.*`). */
  wantedCollections: z
    .array(z.string().regex(/^[a-zA-Z][a-zA-Z0-9-]*(\.[a-zA-Z0-9-]+)+(\.\*)?$/, 'an NSID such as app.bsky.feed.post'))
    .min(1)
    .max(100)
    .default(['app.bsky.feed.post', 'app.bsky.feed.repost']),
  /** Only these repositories (empty = everyone). */
  wantedDids: z.array(z.string().startsWith('did:', 'a DID (did:plc:… or did:web:…)')).max(10_000).default([]),
  /** On reconnect, resume this far before the last event seen (delivery is at-least-once), in s. */
  rewindSeconds: z.number().min(0).max(3_600).default(5),
  /** Jetstream pings every 30 s: this long without a message or ping means the server is gone, in ms. */
  idleTimeoutMs: z.number().int().min(50).default(75_000),
  backoff: ExponentialBackoffOptionsSchema.prefault({}),
  /** Recent posts whose tags are remembered so their reposts can be attributed, in entries. */
  repostTagCacheSize: z.number().int().min(1).default(100_000),
  /** Waiting for an injected store lookup of reposted posts' tags, at most, in ms. */
  parentLookupTimeoutMs: z.number().int().min(1).default(2_000),
  /** Handles learnt from identity events, in entries. */
  handleCacheSize: z.number().int().min(1).default(100_000),
  enrich: ProfileEnrichmentOptionsSchema.prefault({}),
  /**
   * File keeping the resume cursor (the `time_us` of the last event handed on) across restarts.
   * Default under `tagwatch run`: `<store.path>/collectors/<source name>.cursor.json`; `false`: not kept.
   */
  cursorFile: z.union([z.string().min(1), z.literal(false)]).optional(),
  /** How often the cursor is saved while running (and always when the source stops), in ms. */
  cursorSaveIntervalMs: z.number().int().min(50).default(5_000),
});

export type JetstreamSourceOptions = z.output<typeof JetstreamSourceOptionsSchema>;
export type ProfileEnrichmentOptions = z.output<typeof ProfileEnrichmentOptionsSchema>;
