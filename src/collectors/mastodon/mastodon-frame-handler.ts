import type { Logger } from 'pino';
import { ConfigError, ErrorCodes, ValidationError } from '../../errors/index.ts';
import type { Deletion, RawPost } from '../../model/index.ts';
import { RecentKeys } from '../../ingest/index.ts';
import { BoundedMap } from '../live/bounded-map.ts';
import { decodeJsonFrame, frameDeadLetter, parseJson, parseWire } from '../live/frame-decoding.ts';
import type { LiveStats } from '../live/live-stats.ts';
import type { FrameHandler, HandledFrames, RawFrame } from '../live/types.ts';
import { MASTODON_PLATFORM, mapStatus } from './map-status.ts';
import type { MastodonSourceOptions } from './options.ts';
import { compareStatusIds } from './status-ids.ts';
import { ErrorFrameSchema, StatusSchema, StreamFrameSchema, type MastodonStatus } from './wire.ts';

export interface MastodonHandlerDeps {
  source: string;
  log: Logger;
  stats: LiveStats;
  /** Frame origin (streaming URL) → instance label and host, for messages and local handles. */
  instances: ReadonlyMap<string, { label: string; host: string }>;
}

/**
 * Mastodon frames from all instances → posts (deduplicated on the federated `uri`), deletions
 * and dead letters. Per-instance ids are mapped to uris as statuses pass, so a `delete` (which
 * carries only the instance's id) and a reply's parent can be named.
 */
export class MastodonFrameHandler implements FrameHandler {
  readonly #options: MastodonSourceOptions;
  readonly #deps: MastodonHandlerDeps;
  readonly #recent: RecentKeys;
  readonly #uriById: BoundedMap<string, string>;
  /** Per streaming origin, the newest status id seen: where a REST catch-up starts after a reconnect. */
  readonly #newestId = new Map<string, string>();

  constructor(options: MastodonSourceOptions, deps: MastodonHandlerDeps) {
    this.#options = options;
    this.#deps = deps;
    this.#recent = new RecentKeys(options.dedupeCapacity);
    this.#uriById = new BoundedMap(options.statusIdCacheSize);
  }

  async handle(frames: readonly RawFrame[]): Promise<HandledFrames> {
    const out: HandledFrames = { posts: [], deletions: [], deadLetters: [] };
    for (const frame of frames) {
      try {
        const fatal = this.#handleFrame(frame, out.posts, out.deletions);
        if (fatal !== undefined) out.fatal ??= fatal;
      } catch (err) {
        out.deadLetters.push(frameDeadLetter(this.#deps.source, frame, err));
      }
    }
    return out;
  }

  /** The newest status id seen from this instance (its streaming origin), if any. */
  newestStatusId(origin: string): string | undefined {
    return this.#newestId.get(origin);
  }

  #instance(frame: RawFrame): { label: string; host: string } {
    return this.#deps.instances.get(frame.origin) ?? { label: frame.origin, host: frame.origin };
  }

  #handleFrame(frame: RawFrame, posts: RawPost[], deletions: Deletion[]): Error | undefined {
    const json = decodeJsonFrame(frame, this.#options.maxFrameBytes);
    if (json !== null && typeof json === 'object' && 'error' in json) {
      const error = parseWire(ErrorFrameSchema, json, 'mastodon error message');
      this.#deps.stats.add('serverErrors');
      const instance = this.#instance(frame).label;
      if (error.status === 401 || error.status === 403) {
        return new ConfigError(ErrorCodes.SOURCE_AUTH, `${this.#deps.source}: mastodon instance ${instance} rejected the access token (${error.status}: ${error.error})`);
      }
      this.#deps.log.error({ instance, status: error.status, error: error.error }, 'mastodon instance reported an error in the stream (check the configured streams)');
      return undefined;
    }
    const message = parseWire(StreamFrameSchema, json, 'mastodon stream message');
    switch (message.event) {
      case 'update':
      case 'status.update':
        this.#handleStatus(frame, message.event, this.#status(message.payload), posts);
        return undefined;
      case 'delete':
        this.#handleDelete(frame, message.payload, deletions);
        return undefined;
      default:
        // notifications, filters_changed, announcements, conversations: nothing to count.
        this.#deps.stats.add('ignored');
        return undefined;
    }
  }

  /** The payload is the Status as a JSON string: parsed a second time. */
  #status(payload: string | undefined): MastodonStatus {
    if (payload === undefined) throw new ValidationError(ErrorCodes.FRAME_INVALID, 'mastodon update without a payload');
    return parseWire(StatusSchema, parseJson(payload, 'mastodon status payload'), 'mastodon status');
  }

  #handleStatus(frame: RawFrame, event: string, status: MastodonStatus, posts: RawPost[]): void {
    const instance = this.#instance(frame);
    this.#uriById.set(`${frame.origin} ${status.id}`, status.uri);
    const newest = this.#newestId.get(frame.origin);
    if (/^\d{1,20}$/.test(status.id) && (newest === undefined || compareStatusIds(status.id, newest) > 0)) this.#newestId.set(frame.origin, status.id);
    if (status.reblog !== null && status.reblog !== undefined) this.#uriById.set(`${frame.origin} ${status.reblog.id}`, status.reblog.uri);
    if (!this.#recent.add(status.uri)) {
      // Seen through another instance, redelivered, or an edit of a post already handed on.
      this.#deps.stats.add(event === 'update' ? 'duplicates' : 'ignored');
      return;
    }
    const replyTo = status.in_reply_to_id;
    const quotedId = status.quote?.quoted_status_id;
    const post = mapStatus(status, {
      instanceHost: instance.host,
      parentUri: replyTo === null || replyTo === undefined ? undefined : this.#uriById.get(`${frame.origin} ${replyTo}`),
      quotedUri: quotedId === null || quotedId === undefined ? undefined : this.#uriById.get(`${frame.origin} ${quotedId}`),
    });
    posts.push({ origin: `${this.#deps.source}:${instance.label}`, receivedAt: frame.receivedAt, post });
  }

  #handleDelete(frame: RawFrame, payload: string | undefined, deletions: Deletion[]): void {
    const id = payload?.trim();
    if (id === undefined || !/^[A-Za-z0-9_-]{1,64}$/.test(id)) throw new ValidationError(ErrorCodes.FRAME_INVALID, 'mastodon delete without a status id');
    const uri = this.#uriById.get(`${frame.origin} ${id}`);
    if (uri === undefined) {
      // The id is the instance's own; without having seen the status there is no federated uri to name.
      this.#deps.stats.add('unresolvedDeletions');
      return;
    }
    if (!this.#recent.add(`delete ${uri}`)) {
      this.#deps.stats.add('duplicates');
      return;
    }
    deletions.push({ platform: MASTODON_PLATFORM, id: uri, at: frame.receivedAt });
  }
}
