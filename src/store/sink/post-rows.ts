import type { Post } from '../../model/index.ts';
import type { TableRow } from '../types.ts';
import { dateTime64, uint64 } from './clickhouse-values.ts';

/** `posts.version`: a redacted row (after a deletion) always outranks the row as collected. */
export const PostVersions = { collected: 1, redacted: 2 } as const;

/** Columns of `posts`, in table order. */
export const POST_COLUMNS = [
  'platform',
  'id',
  'author_id',
  'author_handle',
  'author_created_at',
  'author_followers',
  'created_at',
  'text',
  'tags',
  'tag_display',
  'lang',
  'kind',
  'parent_id',
  'urls',
  'ingested_at',
  'deleted',
  'deleted_at',
  'version',
] as const;

export function toPostRow(post: Post, ingestedAt: number): TableRow {
  return {
    platform: post.platform,
    id: post.id,
    author_id: post.author.id,
    author_handle: post.author.handle ?? '',
    author_created_at: post.author.createdTs === undefined ? null : dateTime64(post.author.createdTs, 'author.createdTs'),
    author_followers: post.author.followers === undefined ? null : uint64(post.author.followers, 'author.followers'),
    created_at: dateTime64(post.ts, 'ts'),
    text: post.text,
    tags: post.tags,
    tag_display: post.tagDisplay,
    lang: post.lang ?? '',
    kind: post.kind,
    parent_id: post.parentId ?? '',
    urls: post.urls ?? [],
    ingested_at: dateTime64(ingestedAt, 'ingestedAt'),
    deleted: 0,
    deleted_at: null,
    version: PostVersions.collected,
  };
}

/**
 * A deleted post keeps what makes counts and past flags explainable (id, time, author id, tags,
 * kind, parent) and loses what the author took back: text, handle, links.
 */
export function redactPostRow(row: TableRow, deletedAt: number): TableRow {
  return {
    ...row,
    author_handle: '',
    text: '',
    urls: [],
    deleted: 1,
    deleted_at: dateTime64(deletedAt, 'deletedAt'),
    version: PostVersions.redacted,
  };
}

/** The SELECT list that turns a stored `posts` row into its redacted form (`d.deleted_at` from a join). */
export const REDACTED_POST_SELECT = POST_COLUMNS.map((column) => {
  switch (column) {
    case 'author_handle':
    case 'text':
      return `'' AS ${column}`;
    case 'urls':
      return `CAST([], 'Array(String)') AS urls`;
    case 'deleted':
      return `toUInt8(1) AS deleted`;
    case 'deleted_at':
      return `d.deleted_at AS deleted_at`;
    case 'version':
      return `toUInt64(${PostVersions.redacted}) AS version`;
    default:
      return `p.${column} AS ${column}`;
  }
}).join(', ');
