import type { Deletion, PostInput } from '../../model/index.ts';
import type { AuthorFields, CommitRef } from './types.ts';
import { Collections, FacetFeatureTypes, type PostRecord, type RepostRecord } from './wire.ts';

export const BLUESKY_PLATFORM = 'bluesky';

/** A client-supplied `createdAt` later than the relay saw the commit by more than this is not believed. */
const MAX_FUTURE_MS = 5 * 60 * 1000;
/** …nor one earlier by more than this (backdated imports would land in long-closed windows). */
const MAX_BACKDATE_MS = 24 * 60 * 60 * 1000;

export function atUri(did: string, collection: string, rkey: string): string {
  return `at://${did}/${collection}/${rkey}`;
}

/**
 * Event time: the record's `createdAt` (client-supplied), unless it is implausible against the
 * time the relay saw the commit (`time_us`), in which case the relay's time.
 */
export function eventTime(createdAt: string, timeUs: number): string {
  const seenMs = Math.floor(timeUs / 1000);
  const claimed = Date.parse(createdAt);
  if (Number.isNaN(claimed) || claimed > seenMs + MAX_FUTURE_MS || claimed < seenMs - MAX_BACKDATE_MS) return new Date(seenMs).toISOString();
  return new Date(claimed).toISOString();
}

/** Tags exactly as the post declares them: `#tag` facets in order, then outline `tags`. */
export function postTags(record: PostRecord): string[] {
  const tags: string[] = [];
  for (const facet of record.facets ?? []) {
    for (const feature of facet.features) {
      if (feature.$type === FacetFeatureTypes.tag && typeof feature.tag === 'string') tags.push(feature.tag);
    }
  }
  for (const tag of record.tags ?? []) tags.push(tag);
  return tags;
}

function postUrls(record: PostRecord): string[] {
  const urls = new Set<string>();
  for (const facet of record.facets ?? []) {
    for (const feature of facet.features) {
      if (feature.$type === FacetFeatureTypes.link && typeof feature.uri === 'string') urls.add(feature.uri);
    }
  }
  const embed = record.embed;
  if (embed?.external !== undefined) urls.add(embed.external.uri);
  if (embed?.media?.external !== undefined) urls.add(embed.media.external.uri);
  return [...urls];
}

/** The post a record quotes, if its embed is a post (not a list, feed or starter pack). */
function quotedUri(record: PostRecord): string | undefined {
  const embed = record.embed;
  if (embed === undefined) return undefined;
  let uri: string | undefined;
  if (embed.$type === 'app.bsky.embed.record') uri = embed.record?.uri;
  else if (embed.$type === 'app.bsky.embed.recordWithMedia') uri = embed.record?.record?.uri;
  return uri !== undefined && uri.includes(`/${Collections.post}/`) ? uri : undefined;
}

function validLang(langs: readonly string[] | undefined): string | undefined {
  const first = langs?.[0]?.trim();
  return first !== undefined && first.length >= 1 && first.length <= 35 ? first : undefined;
}

function author(did: string, fields: AuthorFields): PostInput['author'] {
  const out: PostInput['author'] = { id: did };
  if (fields.handle !== undefined) out.handle = fields.handle;
  if (fields.followers !== undefined) out.followers = fields.followers;
  if (fields.createdAt !== undefined) out.createdAt = fields.createdAt;
  return out;
}

/**
 * A post create. Kind: reply when it answers a post (even if it also quotes one), else quote
 * when it embeds a post, else original.
 */
export function mapPostCreate(event: CommitRef, record: PostRecord, fields: AuthorFields = {}): PostInput {
  const post: PostInput = {
    platform: BLUESKY_PLATFORM,
    id: atUri(event.did, event.commit.collection, event.commit.rkey),
    author: author(event.did, fields),
    createdAt: eventTime(record.createdAt, event.time_us),
    text: record.text,
    tags: postTags(record),
    kind: 'original',
  };
  const quoted = quotedUri(record);
  if (record.reply !== undefined) {
    post.kind = 'reply';
    post.parentId = record.reply.parent.uri;
  } else if (quoted !== undefined) {
    post.kind = 'quote';
    post.parentId = quoted;
  }
  const lang = validLang(record.langs);
  if (lang !== undefined) post.lang = lang;
  const urls = postUrls(record);
  if (urls.length > 0) post.urls = urls;
  return post;
}

/** A repost: no text of its own; its tags are those of the post it reposts (resolved by the caller). */
export function mapRepostCreate(event: CommitRef, record: RepostRecord, tags: readonly string[], fields: AuthorFields = {}): PostInput {
  return {
    platform: BLUESKY_PLATFORM,
    id: atUri(event.did, event.commit.collection, event.commit.rkey),
    author: author(event.did, fields),
    createdAt: eventTime(record.createdAt, event.time_us),
    text: '',
    tags: [...tags],
    kind: 'repost',
    parentId: record.subject.uri,
  };
}

export function mapDelete(event: CommitRef, at: number): Deletion {
  return { platform: BLUESKY_PLATFORM, id: atUri(event.did, event.commit.collection, event.commit.rkey), at };
}

/** Account statuses after which the account's posts must not be kept: the platform took them back. */
export const REDACTING_ACCOUNT_STATUSES: ReadonlySet<string> = new Set(['takendown', 'deleted', 'suspended']);

/**
 * An `account` event that ends an account (taken down, deleted, suspended) → an account-level
 * deletion received at `at`. Other statuses (deactivated by its owner, throttled…) and
 * reactivations → undefined: they change nothing stored.
 */
export function mapAccountEvent(event: { did: string; account: { active: boolean; status?: string | undefined } }, at: number): Deletion | undefined {
  const { active, status } = event.account;
  if (active || status === undefined || !REDACTING_ACCOUNT_STATUSES.has(status)) return undefined;
  return { platform: BLUESKY_PLATFORM, id: event.did, at, scope: 'account' };
}
