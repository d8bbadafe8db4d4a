import { z } from 'zod';

/**
 * Jetstream's JSON frames (one per WebSocket message). Schemas are loose: fields tagwatch does
 * not read pass through, and new ones do not break parsing.
 */

export const Collections = {
  post: 'app.bsky.feed.post',
  repost: 'app.bsky.feed.repost',
} as const;

export const FacetFeatureTypes = {
  tag: 'app.bsky.richtext.facet#tag',
  link: 'app.bsky.richtext.facet#link',
} as const;

const StrongRefSchema = z.looseObject({ uri: z.string().min(1), cid: z.string().optional() });

/** Every frame: who, when (server time, µs), what kind. Newer servers add a per-event `cursor`. */
export const EnvelopeSchema = z.looseObject({
  did: z.string().startsWith('did:'),
  time_us: z.number().int().positive(),
  kind: z.string(),
  cursor: z.number().optional(),
});

export const CommitSchema = z.looseObject({
  rev: z.string(),
  operation: z.enum(['create', 'update', 'delete']),
  collection: z.string().min(1),
  rkey: z.string().min(1),
  record: z.unknown().optional(),
  cid: z.string().optional(),
});

export const CommitEventSchema = EnvelopeSchema.extend({ kind: z.literal('commit'), commit: CommitSchema });

export const IdentityEventSchema = EnvelopeSchema.extend({
  kind: z.literal('identity'),
  identity: z.looseObject({ did: z.string(), handle: z.string().optional(), seq: z.number().optional(), time: z.string().optional() }),
});

export const AccountEventSchema = EnvelopeSchema.extend({
  kind: z.literal('account'),
  account: z.looseObject({ did: z.string(), active: z.boolean(), status: z.string().optional(), seq: z.number().optional(), time: z.string().optional() }),
});

const FacetSchema = z.looseObject({
  index: z.looseObject({ byteStart: z.number().int().min(0), byteEnd: z.number().int().min(0) }),
  features: z.array(z.looseObject({ $type: z.string(), tag: z.string().optional(), uri: z.string().optional() })),
});

const EmbedSchema = z.looseObject({
  $type: z.string(),
  // app.bsky.embed.record: { record: strongRef }; recordWithMedia: { record: { record: strongRef }, media }
  record: z.looseObject({ uri: z.string().optional(), record: StrongRefSchema.optional() }).optional(),
  external: z.looseObject({ uri: z.string() }).optional(),
  media: z.looseObject({ $type: z.string().optional(), external: z.looseObject({ uri: z.string() }).optional() }).optional(),
});

export const PostRecordSchema = z.looseObject({
  text: z.string(),
  createdAt: z.string(),
  langs: z.array(z.string()).optional(),
  facets: z.array(FacetSchema).optional(),
  /** "Outline" tags: attached to the post without appearing in its text. */
  tags: z.array(z.string()).optional(),
  reply: z.looseObject({ parent: StrongRefSchema, root: StrongRefSchema }).optional(),
  embed: EmbedSchema.optional(),
});

export const RepostRecordSchema = z.looseObject({
  subject: StrongRefSchema,
  createdAt: z.string(),
  via: StrongRefSchema.optional(),
});

/** `app.bsky.actor.getProfiles` response (followersCount and createdAt may be absent). */
export const GetProfilesResponseSchema = z.looseObject({
  profiles: z.array(
    z.looseObject({
      did: z.string(),
      handle: z.string().optional(),
      followersCount: z.number().int().min(0).optional(),
      createdAt: z.string().optional(),
    }),
  ),
});

export type CommitEvent = z.output<typeof CommitEventSchema>;
export type PostRecord = z.output<typeof PostRecordSchema>;
export type RepostRecord = z.output<typeof RepostRecordSchema>;
