import { ErrorCodes, ValidationError } from '../../errors/index.ts';
import type { PostInput } from '../../model/index.ts';
import type { XPost, XStreamLine, XUser } from './wire.ts';

export const X_PLATFORM = 'x';

/** X's language codes meaning "no language": undetermined, hashtags only, media only… */
const NO_LANGUAGE = /^(und|zxx|q[a-z]{2})$/;

function references(post: XPost): ReadonlyArray<{ type: string; id: string }> {
  return post.referenced_tweets ?? post.referenced_posts ?? [];
}

function note(post: XPost): XPost['note_tweet'] {
  return post.note_tweet ?? post.note_post;
}

/** Hashtags from the entities: the long-post (`note_tweet`) ones first, as they cover the whole text. */
export function xPostTags(post: XPost): string[] {
  const tags: string[] = [];
  for (const h of note(post)?.entities?.hashtags ?? []) tags.push(h.tag);
  for (const h of post.entities?.hashtags ?? []) tags.push(h.tag);
  const seen = new Set<string>();
  return tags.filter((t) => (seen.has(t) ? false : (seen.add(t), true)));
}

function xPostUrls(post: XPost): string[] {
  const urls = new Set<string>();
  for (const entity of [...(note(post)?.entities?.urls ?? []), ...(post.entities?.urls ?? [])]) {
    const url = entity.unwound_url ?? entity.expanded_url ?? entity.url;
    // The "show more" link of a long post points at the post itself.
    if (url === undefined || /^https?:\/\/(x|twitter)\.com\/i\/web\/status\//.test(url)) continue;
    urls.add(url);
  }
  return [...urls];
}

function author(id: string, user: XUser | undefined): PostInput['author'] {
  const out: PostInput['author'] = { id };
  if (user === undefined) return out;
  if (user.username !== undefined) out.handle = user.username;
  const followers = user.public_metrics?.followers_count;
  if (followers !== undefined && followers >= 0) out.followers = followers;
  const created = user.created_at === undefined ? Number.NaN : Date.parse(user.created_at);
  if (!Number.isNaN(created)) out.createdAt = new Date(created).toISOString();
  return out;
}

/**
 * One stream line's post. A retweet is a repost with no text of its own, tagged with its
 * original's hashtags (from `includes.tweets`, whose long-post entities are complete; the
 * retweet's own entities cover only the truncated "RT @…" text). Kind precedence: repost, then
 * reply, then quote.
 */
export function mapXLine(line: XStreamLine): PostInput {
  const post = line.data;
  if (post === undefined) throw new ValidationError(ErrorCodes.FRAME_INVALID, 'X stream line without data');
  if (post.author_id === undefined) throw new ValidationError(ErrorCodes.FRAME_INVALID, `X post ${post.id} has no author_id (the stream must request expansions=author_id)`);
  const createdMs = post.created_at === undefined ? Number.NaN : Date.parse(post.created_at);
  if (Number.isNaN(createdMs)) throw new ValidationError(ErrorCodes.FRAME_INVALID, `X post ${post.id} has no valid created_at (the stream must request tweet.fields=created_at)`);
  const users = new Map((line.includes?.users ?? []).map((u) => [u.id, u]));
  const included = new Map([...(line.includes?.tweets ?? []), ...(line.includes?.posts ?? [])].map((p) => [p.id, p]));
  const refs = references(post);
  const base = { platform: X_PLATFORM, id: post.id, author: author(post.author_id, users.get(post.author_id)), createdAt: new Date(createdMs).toISOString() };

  const reposted = refs.find((r) => r.type === 'retweeted' || r.type === 'reposted');
  if (reposted !== undefined) {
    const original = included.get(reposted.id);
    return { ...base, text: '', tags: xPostTags(original ?? post), kind: 'repost', parentId: reposted.id };
  }
  const out: PostInput = { ...base, text: note(post)?.text ?? post.text, tags: xPostTags(post), kind: 'original' };
  const repliedTo = refs.find((r) => r.type === 'replied_to');
  const quoted = refs.find((r) => r.type === 'quoted');
  if (repliedTo !== undefined) {
    out.kind = 'reply';
    out.parentId = repliedTo.id;
  } else if (quoted !== undefined) {
    out.kind = 'quote';
    out.parentId = quoted.id;
  }
  if (post.lang !== undefined && post.lang.length >= 1 && post.lang.length <= 35 && !NO_LANGUAGE.test(post.lang)) out.lang = post.lang;
  const urls = xPostUrls(post);
  if (urls.length > 0) out.urls = urls;
  return out;
}
