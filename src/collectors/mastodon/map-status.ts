import { extractTags, normalizeTag, type PostInput } from '../../model/index.ts';
import { htmlToText } from './html-to-text.ts';
import type { StatusContext } from './types.ts';
import type { MastodonAccount, MastodonStatus, MastodonStatusFields } from './wire.ts';

export const MASTODON_PLATFORM = 'mastodon';

/**
 * Tags from `tags[].name` (exact: no guessing from text), each in the spelling the author used
 * in the content when it appears there, since servers lower-case the names inconsistently.
 */
export function statusTags(status: MastodonStatusFields, text: string): string[] {
  const written = new Map<string, string>();
  for (const spelling of extractTags(text)) if (!written.has(spelling.tag)) written.set(spelling.tag, spelling.display);
  const out: string[] = [];
  const seen = new Set<string>();
  for (const { name } of status.tags ?? []) {
    const normal = normalizeTag(name);
    if (normal === null) {
      out.push(name);
      continue;
    }
    if (seen.has(normal.tag)) continue;
    seen.add(normal.tag);
    out.push(written.get(normal.tag) ?? normal.display);
  }
  return out;
}

function statusText(status: MastodonStatusFields): { text: string; links: string[] } {
  const body = htmlToText(status.content);
  const warning = status.spoiler_text?.trim() ?? '';
  return { text: warning === '' ? body.text : body.text === '' ? warning : `${warning}\n\n${body.text}`, links: body.links };
}

function isoOrUndefined(value: string | null | undefined): string | undefined {
  if (value === null || value === undefined) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

/** Accounts are identified by their ActivityPub uri (per-instance ids differ); handles are `user@domain`. */
export function mapAccount(account: MastodonAccount, instanceHost: string): PostInput['author'] {
  const domain = account.acct.includes('@') ? undefined : hostOf(account.url) ?? instanceHost;
  const handle = domain === undefined ? account.acct : `${account.acct}@${domain}`;
  const author: PostInput['author'] = { id: account.uri ?? account.url ?? handle, handle };
  if (typeof account.followers_count === 'number' && account.followers_count >= 0) author.followers = account.followers_count;
  const created = isoOrUndefined(account.created_at);
  if (created !== undefined) author.createdAt = created;
  return author;
}

function hostOf(url: string | null | undefined): string | undefined {
  if (url === null || url === undefined) return undefined;
  try {
    return new URL(url).host;
  } catch {
    return undefined;
  }
}

/**
 * A Status as a post, identified by its federated `uri` so the same status seen through several
 * instances is one post. A boost (only on user and list streams) is a repost of the original,
 * carrying the original's tags.
 */
export function mapStatus(status: MastodonStatus, context: StatusContext): PostInput {
  const createdAt = isoOrUndefined(status.created_at) ?? status.created_at;
  const author = mapAccount(status.account, context.instanceHost);
  if (status.reblog !== null && status.reblog !== undefined) {
    const original = statusText(status.reblog);
    return {
      platform: MASTODON_PLATFORM,
      id: status.uri,
      author,
      createdAt,
      text: '',
      tags: statusTags(status.reblog, original.text),
      kind: 'repost',
      parentId: status.reblog.uri,
    };
  }
  const { text, links } = statusText(status);
  const post: PostInput = {
    platform: MASTODON_PLATFORM,
    id: status.uri,
    author,
    createdAt,
    text,
    tags: statusTags(status, text),
    kind: 'original',
  };
  const quoted = status.quote?.quoted_status?.uri ?? context.quotedUri;
  if (status.in_reply_to_id !== null && status.in_reply_to_id !== undefined) {
    post.kind = 'reply';
    if (context.parentUri !== undefined) post.parentId = context.parentUri;
  } else if (status.quote !== null && status.quote !== undefined && (status.quote.state ?? 'accepted') === 'accepted' && (quoted !== undefined || status.quote.quoted_status_id != null)) {
    post.kind = 'quote';
    if (quoted !== undefined) post.parentId = quoted;
  }
  const lang = status.language?.trim();
  if (lang !== undefined && lang.length >= 1 && lang.length <= 35) post.lang = lang;
  const urls = new Set(links);
  const card = status.card?.url;
  if (typeof card === 'string' && card !== '') urls.add(card);
  if (urls.size > 0) post.urls = [...urls];
  return post;
}
