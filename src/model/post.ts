import { z } from 'zod';
import { resolveTags } from './hashtag.ts';
import type { Post, PostInput } from './types.ts';

export const PostKinds = {
  original: 'original',
  repost: 'repost',
  reply: 'reply',
  quote: 'quote',
} as const;

const isoDateTime = z.iso.datetime({ offset: true, local: false });

/**
 * The wire contract between every stage: a normalized post as one JSON object (one line of
 * a replay file, one Kafka message). Anything that writes this shape can feed tagwatch.
 */
export const PostSchema = z.object({
  platform: z.string().min(1).max(64),
  id: z.string().min(1).max(512),
  author: z.object({
    id: z.string().min(1).max(512),
    handle: z.string().max(512).optional(),
    createdAt: isoDateTime.optional(),
    followers: z.number().int().nonnegative().optional(),
  }),
  createdAt: isoDateTime,
  text: z.string().max(200_000),
  tags: z.array(z.string().max(1_000)).max(1_000).optional(),
  lang: z.string().min(1).max(35).optional(),
  kind: z.enum(['original', 'repost', 'reply', 'quote']).default('original'),
  parentId: z.string().min(1).max(512).optional(),
  urls: z.array(z.string().max(8_192)).max(1_000).optional(),
});

/**
 * Turns a validated wire post into the internal form: event time as epoch ms, tags resolved
 * and normalized (with their display spelling), author creation time as epoch ms.
 */
export function toPost(input: PostInput): Post {
  const spellings = resolveTags(input.text, input.tags);
  const post: Post = {
    platform: input.platform,
    id: input.id,
    author: { id: input.author.id },
    ts: Date.parse(input.createdAt),
    text: input.text,
    tags: spellings.map((s) => s.tag),
    tagDisplay: spellings.map((s) => s.display),
    kind: input.kind,
  };
  if (input.author.handle !== undefined) post.author.handle = input.author.handle;
  if (input.author.createdAt !== undefined) post.author.createdTs = Date.parse(input.author.createdAt);
  if (input.author.followers !== undefined) post.author.followers = input.author.followers;
  if (input.lang !== undefined) post.lang = input.lang;
  if (input.parentId !== undefined) post.parentId = input.parentId;
  if (input.urls !== undefined) post.urls = input.urls;
  return post;
}

/** The wire form of an internal post (inverse of `toPost`, tags in display spelling). */
export function toPostInput(post: Post): PostInput {
  const input: PostInput = {
    platform: post.platform,
    id: post.id,
    author: { id: post.author.id },
    createdAt: new Date(post.ts).toISOString(),
    text: post.text,
    tags: [...post.tagDisplay],
    kind: post.kind,
  };
  if (post.author.handle !== undefined) input.author.handle = post.author.handle;
  if (post.author.createdTs !== undefined) input.author.createdAt = new Date(post.author.createdTs).toISOString();
  if (post.author.followers !== undefined) input.author.followers = post.author.followers;
  if (post.lang !== undefined) input.lang = post.lang;
  if (post.parentId !== undefined) input.parentId = post.parentId;
  if (post.urls !== undefined) input.urls = post.urls;
  return input;
}

/** The key that identifies a post across the system. */
export function postKey(platform: string, id: string): string {
  return `${platform}:${id}`;
}
