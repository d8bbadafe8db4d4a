import { z } from 'zod';

/**
 * Mastodon streaming frames: `{stream, event, payload}` where an `update`'s payload is the
 * Status as a JSON *string* (parsed a second time), a `delete`'s payload the bare id.
 */
export const StreamFrameSchema = z.looseObject({
  stream: z.array(z.string()).optional(),
  event: z.string().min(1),
  payload: z.string().optional(),
});

/** An error sent inside the socket: `{"error":"Missing tag name parameter","status":400}`. */
export const ErrorFrameSchema = z.looseObject({ error: z.string(), status: z.number().int().optional() });

export const AccountSchema = z.looseObject({
  id: z.string(),
  username: z.string(),
  acct: z.string(),
  url: z.string().nullish(),
  /** The ActivityPub actor id: the same on every instance, unlike `id`. */
  uri: z.string().nullish(),
  created_at: z.string().nullish(),
  followers_count: z.number().int().nullish(),
  bot: z.boolean().nullish(),
});

const TagSchema = z.looseObject({ name: z.string() });

const StatusFieldsSchema = z.looseObject({
  id: z.string(),
  /** Federated id: the same on every instance. */
  uri: z.string().min(1),
  url: z.string().nullish(),
  created_at: z.string(),
  in_reply_to_id: z.string().nullish(),
  language: z.string().nullish(),
  content: z.string(),
  spoiler_text: z.string().nullish(),
  account: AccountSchema,
  tags: z.array(TagSchema).nullish(),
  card: z.looseObject({ url: z.string().nullish() }).nullish(),
  /** Mastodon 4.5+: `{state, quoted_status}` (or a shallow `{state, quoted_status_id}`). */
  quote: z
    .looseObject({
      state: z.string().nullish(),
      quoted_status: z.looseObject({ uri: z.string() }).nullish(),
      quoted_status_id: z.string().nullish(),
    })
    .nullish(),
});

export const StatusSchema = StatusFieldsSchema.extend({ reblog: StatusFieldsSchema.nullish() });

export type MastodonStatus = z.output<typeof StatusSchema>;
export type MastodonStatusFields = z.output<typeof StatusFieldsSchema>;
export type MastodonAccount = z.output<typeof AccountSchema>;
