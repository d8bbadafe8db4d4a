import type { Logger } from 'pino';
import { ErrorCodes, ValidationError } from '../../errors/index.ts';
import type { Deletion, PostInput, RawPost } from '../../model/index.ts';
import { RecentKeys } from '../../ingest/index.ts';
import { BoundedMap } from '../live/bounded-map.ts';
import { decodeJsonFrame, frameDeadLetter, parseWire } from '../live/frame-decoding.ts';
import type { LiveStats } from '../live/live-stats.ts';
import { RecentPostTags, type ParentTagResolver } from '../live/parent-tags.ts';
import type { FrameHandler, HandledFrames, RawFrame } from '../live/types.ts';
import { BLUESKY_PLATFORM, mapAccountEvent, mapDelete, mapPostCreate, mapRepostCreate } from './map-jetstream.ts';
import type { JetstreamSourceOptions } from './options.ts';
import type { ProfileEnricher } from './profile-enricher.ts';
import type { AuthorFields } from './types.ts';
import {
  AccountEventSchema,
  Collections,
  CommitEventSchema,
  EnvelopeSchema,
  IdentityEventSchema,
  PostRecordSchema,
  RepostRecordSchema,
  type CommitEvent,
} from './wire.ts';

export interface JetstreamHandlerDeps {
  source: string;
  log: Logger;
  stats: LiveStats;
  enricher?: ProfileEnricher | undefined;
  parentTags?: ParentTagResolver | undefined;
}

/** One mapped post, in frame order; reposts wait for their parent's tags. */
interface Pending {
  post: PostInput;
  origin: string;
  receivedAt: number;
  /** Set on reposts whose parent was not in the recent-posts cache. */
  unresolvedParent?: string;
}

/**
 * Jetstream frames → posts, reposts (attributed to their original's tags), deletions and dead
 * letters. Remembers the newest `time_us` for resuming, drops redelivered events, learns
 * handles from identity events.
 */
export class JetstreamFrameHandler implements FrameHandler {
  readonly #options: JetstreamSourceOptions;
  readonly #deps: JetstreamHandlerDeps;
  readonly #recent: RecentKeys;
  readonly #postTags: RecentPostTags;
  readonly #handles: BoundedMap<string, string>;
  #lastTimeUs = 0;

  constructor(options: JetstreamSourceOptions, deps: JetstreamHandlerDeps) {
    this.#options = options;
    this.#deps = deps;
    this.#recent = new RecentKeys(options.dedupeCapacity);
    this.#postTags = new RecentPostTags(options.repostTagCacheSize);
    this.#handles = new BoundedMap(options.handleCacheSize);
  }

  /** Server time (µs) of the newest event read, 0 before the first. */
  get lastTimeUs(): number {
    return this.#lastTimeUs;
  }

  async handle(frames: readonly RawFrame[]): Promise<HandledFrames> {
    const out: HandledFrames = { posts: [], deletions: [], deadLetters: [] };
    const pending: Pending[] = [];
    for (const frame of frames) {
      try {
        this.#handleFrame(frame, pending, out.deletions);
      } catch (err) {
        out.deadLetters.push(frameDeadLetter(this.#deps.source, frame, err));
      }
    }
    await this.#resolveParents(pending);
    out.posts = pending.map((p): RawPost => ({ origin: p.origin, receivedAt: p.receivedAt, post: p.post }));
    return out;
  }

  #handleFrame(frame: RawFrame, pending: Pending[], deletions: Deletion[]): void {
    const json = decodeJsonFrame(frame, this.#options.maxFrameBytes);
    const envelope = parseWire(EnvelopeSchema, json, 'jetstream event');
    if (envelope.time_us > this.#lastTimeUs) this.#lastTimeUs = envelope.time_us;
    switch (envelope.kind) {
      case 'commit':
        this.#handleCommit(parseWire(CommitEventSchema, json, 'jetstream commit'), frame, pending, deletions);
        return;
      case 'identity': {
        const identity = parseWire(IdentityEventSchema, json, 'jetstream identity event').identity;
        if (identity.handle !== undefined && identity.handle !== 'handle.invalid') this.#handles.set(identity.did, identity.handle);
        this.#deps.stats.add('ignored');
        return;
      }
      case 'account': {
        const deletion = mapAccountEvent(parseWire(AccountEventSchema, json, 'jetstream account event'), frame.receivedAt);
        if (deletion === undefined) {
          this.#deps.stats.add('ignored');
          return;
        }
        if (!this.#recent.add(`account ${deletion.id} ${envelope.time_us}`)) {
          this.#deps.stats.add('duplicates');
          return;
        }
        deletions.push(deletion);
        return;
      }
      default:
        this.#deps.stats.add('ignored');
    }
  }

  #handleCommit(event: CommitEvent, frame: RawFrame, pending: Pending[], deletions: Deletion[]): void {
    const { collection, operation } = event.commit;
    if (collection !== Collections.post && collection !== Collections.repost) {
      this.#deps.stats.add('ignored');
      return;
    }
    if (operation === 'update') {
      // Bluesky has no post editing; an update is a rewrite of an already counted record.
      this.#deps.stats.add('ignored');
      return;
    }
    const origin = `${this.#deps.source}:${frame.origin}`;
    if (operation === 'delete') {
      const deletion = mapDelete(event, frame.receivedAt);
      if (!this.#recent.add(`delete ${deletion.id}`)) {
        this.#deps.stats.add('duplicates');
        return;
      }
      deletions.push(deletion);
      return;
    }
    if (event.commit.record === undefined) throw new ValidationError(ErrorCodes.FRAME_INVALID, 'jetstream create commit without a record');
    if (collection === Collections.post) {
      const record = parseWire(PostRecordSchema, event.commit.record, 'app.bsky.feed.post record');
      const post = mapPostCreate(event, record, this.#author(event.did));
      if (!this.#recent.add(post.id)) {
        this.#deps.stats.add('duplicates');
        return;
      }
      this.#postTags.remember(post.id, post.tags ?? []);
      pending.push({ post, origin, receivedAt: frame.receivedAt });
      return;
    }
    const record = parseWire(RepostRecordSchema, event.commit.record, 'app.bsky.feed.repost record');
    const parentTags = this.#postTags.get(record.subject.uri);
    const post = mapRepostCreate(event, record, parentTags ?? [], this.#author(event.did));
    if (!this.#recent.add(post.id)) {
      this.#deps.stats.add('duplicates');
      return;
    }
    const item: Pending = { post, origin, receivedAt: frame.receivedAt };
    if (parentTags === undefined) item.unresolvedParent = record.subject.uri;
    pending.push(item);
  }

  #author(did: string): AuthorFields {
    const enriched = this.#deps.enricher?.lookup(did);
    const handle = enriched?.handle ?? this.#handles.get(did);
    const fields: AuthorFields = { ...enriched };
    if (handle !== undefined) fields.handle = handle;
    return fields;
  }

  /** Asks the injected resolver (the store) for the tags of reposted posts not in the cache. */
  async #resolveParents(pending: Pending[]): Promise<void> {
    const unresolved = pending.filter((p) => p.unresolvedParent !== undefined);
    if (unresolved.length === 0) return;
    let found: ReadonlyMap<string, readonly string[]> = new Map();
    const resolver = this.#deps.parentTags;
    if (resolver !== undefined) {
      const ids = [...new Set(unresolved.map((p) => p.unresolvedParent as string))];
      try {
        found = await withTimeout(
          (signal) => resolver.tagsOf(BLUESKY_PLATFORM, ids, signal),
          this.#options.parentLookupTimeoutMs,
        );
      } catch (err) {
        this.#deps.log.warn({ err, ids: ids.length }, 'looking up reposted posts failed; their reposts go on without tags');
      }
    }
    for (const item of unresolved) {
      const tags = found.get(item.unresolvedParent as string);
      if (tags === undefined) {
        this.#deps.stats.add('unresolvedReposts');
        continue;
      }
      item.post.tags = [...tags];
      this.#postTags.remember(item.unresolvedParent as string, tags);
    }
  }
}

/** Runs `task`, giving up (rejecting) after `ms` even if it ignores its abort signal. */
async function withTimeout<T>(task: (signal: AbortSignal) => Promise<T>, ms: number): Promise<T> {
  const abort = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      abort.abort();
      reject(new Error(`no answer within ${ms} ms`));
    }, ms);
  });
  try {
    return await Promise.race([task(abort.signal), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
