import { z } from 'zod';
import { EnvVarNameSchema, ExponentialBackoffOptionsSchema, LiveSourceOptionsShape, SecretSchema } from '../live/options.ts';

/** Streams an access token can subscribe to. Public and hashtag streams never carry boosts. */
export const MastodonStreamSchema = z.preprocess(
  // Shorthands: "#MacronLeaks" = the hashtag stream; "public" = {stream: "public"}.
  (value) => (typeof value === 'string' ? (value.startsWith('#') ? { stream: 'hashtag', tag: value.slice(1) } : { stream: value }) : value),
  z.discriminatedUnion(
    'stream',
    [
      z.strictObject({ stream: z.enum(['hashtag', 'hashtag:local']), tag: z.string().min(1, 'a hashtag, without #').max(200) }),
      z.strictObject({
        stream: z.enum(['public', 'public:local', 'public:remote', 'public:media', 'public:local:media', 'public:remote:media', 'user']),
      }),
      z.strictObject({ stream: z.literal('list'), list: z.string().min(1, 'a list id') }),
    ],
    {
      error: (issue) =>
        issue.code === 'invalid_union' && issue.note === 'No matching discriminator'
          ? `unknown Mastodon stream; allowed: ${(issue.options as unknown[]).map(String).join(', ')} (or "#tag")`
          : undefined,
    },
  ),
);

export const MastodonInstanceOptionsSchema = z.strictObject({
  /** The instance, e.g. https://mastodon.social. */
  url: z.url({ protocol: /^https?$/, error: 'an http:// or https:// URL of the instance' }),
  /** Where its streaming API lives when not `<url>/api/v1/streaming` (ws:// or wss://). */
  streamingUrl: z.url({ protocol: /^wss?$/, error: 'a ws:// or wss:// URL' }).optional(),
  /** An access token of an application on that instance (scope `read`). Prefer `tokenEnv`. */
  token: SecretSchema.optional(),
  /** The environment variable that holds the token. */
  tokenEnv: EnvVarNameSchema.optional(),
  streams: z.array(MastodonStreamSchema).min(1, 'at least one stream, e.g. "#MacronLeaks" or "public"'),
});

export const MastodonSourceOptionsSchema = z
  .strictObject({
    type: z.literal('mastodon'),
    ...LiveSourceOptionsShape,
    instances: z.array(MastodonInstanceOptionsSchema).min(1, 'at least one instance'),
    /** The streaming server pings every 30 s or so: silence this long means it is gone, in ms. */
    idleTimeoutMs: z.number().int().min(50).default(90_000),
    backoff: ExponentialBackoffOptionsSchema.prefault({}),
    /** Per-instance status ids → federated uris remembered (for deletes and reply parents), in entries. */
    statusIdCacheSize: z.number().int().min(1).default(200_000),
    /** After a reconnect, fetch what was missed through the REST timelines: at most this many pages per stream (0 = off). */
    catchUpMaxPages: z.number().int().min(0).max(100).default(5),
    /** Statuses per REST page (Mastodon serves at most 40). */
    catchUpPageSize: z.number().int().min(1).max(40).default(40),
  })
  .superRefine((source, ctx) => {
    const name = source.name ?? 'mastodon';
    source.instances.forEach((instance, i) => {
      if (instance.token === undefined && instance.tokenEnv === undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['instances', i, 'token'],
          message: `source "${name}": instance ${instance.url} needs an access token (set token or tokenEnv); every Mastodon stream requires one`,
        });
      }
      if (instance.token !== undefined && instance.tokenEnv !== undefined) {
        ctx.addIssue({ code: 'custom', path: ['instances', i, 'tokenEnv'], message: `source "${name}": instance ${instance.url}: set token or tokenEnv, not both` });
      }
    });
  });

export type MastodonSourceOptions = z.output<typeof MastodonSourceOptionsSchema>;
export type MastodonInstanceOptions = z.output<typeof MastodonInstanceOptionsSchema>;
export type MastodonStream = z.output<typeof MastodonStreamSchema>;
