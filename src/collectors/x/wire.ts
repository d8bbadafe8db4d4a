import { z } from 'zod';

/**
 * X API v2 filtered-stream lines: `{data, includes, matching_rules}` or `{errors}`. Newer
 * responses may spell "tweet" as "post" (`referenced_posts`, `note_post`, `includes.posts`);
 * both are accepted, the tweet spelling first.
 */

const HashtagEntitySchema = z.looseObject({ tag: z.string(), start: z.number().optional(), end: z.number().optional() });
const UrlEntitySchema = z.looseObject({
  url: z.string().optional(),
  expanded_url: z.string().optional(),
  unwound_url: z.string().optional(),
  display_url: z.string().optional(),
});
const EntitiesSchema = z.looseObject({ hashtags: z.array(HashtagEntitySchema).optional(), urls: z.array(UrlEntitySchema).optional() });
const NoteSchema = z.looseObject({ text: z.string(), entities: EntitiesSchema.optional() });
const ReferenceSchema = z.looseObject({ type: z.string(), id: z.string() });

export const XPostSchema = z.looseObject({
  id: z.string().min(1),
  text: z.string(),
  author_id: z.string().optional(),
  created_at: z.string().optional(),
  lang: z.string().optional(),
  entities: EntitiesSchema.optional(),
  note_tweet: NoteSchema.optional(),
  note_post: NoteSchema.optional(),
  referenced_tweets: z.array(ReferenceSchema).optional(),
  referenced_posts: z.array(ReferenceSchema).optional(),
});

export const XUserSchema = z.looseObject({
  id: z.string(),
  username: z.string().optional(),
  created_at: z.string().optional(),
  public_metrics: z.looseObject({ followers_count: z.number().int().optional() }).optional(),
});

export const XProblemSchema = z.looseObject({
  title: z.string().optional(),
  detail: z.string().optional(),
  type: z.string().optional(),
  disconnect_type: z.string().optional(),
});

export const XStreamLineSchema = z.looseObject({
  data: XPostSchema.optional(),
  includes: z
    .looseObject({
      users: z.array(XUserSchema).optional(),
      tweets: z.array(XPostSchema).optional(),
      posts: z.array(XPostSchema).optional(),
    })
    .optional(),
  matching_rules: z.array(z.looseObject({ id: z.string(), tag: z.string().optional() })).optional(),
  errors: z.array(XProblemSchema).optional(),
});

export const XRulesResponseSchema = z.looseObject({
  data: z.array(z.looseObject({ id: z.string(), value: z.string(), tag: z.string().optional() })).optional(),
  meta: z.looseObject({}).optional(),
  errors: z
    .array(
      z.looseObject({
        title: z.string().optional(),
        detail: z.string().optional(),
        value: z.string().optional(),
        details: z.array(z.string()).optional(),
      }),
    )
    .optional(),
});

export type XPost = z.output<typeof XPostSchema>;
export type XUser = z.output<typeof XUserSchema>;
export type XStreamLine = z.output<typeof XStreamLineSchema>;
