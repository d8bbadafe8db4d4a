import type { Logger } from 'pino';
import { Streams, type BusRecord, type Producer, type RecordBatch, type Stage, type StreamName } from '../bus/index.ts';
import { ClosedError, ErrorCodes, ValidationError } from '../errors/index.ts';
import { silentLogger } from '../log/index.ts';
import { postKey, toDeadLetter, type Flag, type TagEvent, type TagMinute } from '../model/index.ts';
import { BurstDetector } from './burst-detector.ts';
import {
  CHECKPOINT_VERSION,
  STAGE_STATE_KEY,
  StageCheckpointSchema,
  TagCheckpointSchema,
  type StageCheckpoint,
  type TagCheckpoint,
} from './checkpoint.ts';
import type { TagDetector } from './detector.ts';
import { EventHeap, type PendingEvent } from './event-heap.ts';
import type { MinuteAccumulator, MinuteVelocity } from './minute-accumulator.ts';
import { AnalyzeOptionsSchema, MINUTE, type AnalyzeOptions, type AnalyzeOptionsInput } from './options.ts';
import { PopulationPrior } from './population-prior.ts';
import { hash32 } from './string-hash.ts';
import { ROLLING_WINDOWS } from './tag-spread.ts';
import { TagLru } from './tag-lru.ts';
import { TagState } from './tag-state.ts';
import type { AnalyzeFigures, BurstInputs, StateSource, TagMetricsReader, TagView } from './types.ts';

const HOUR = 60 * MINUTE;
const EXPIRE_EVERY_MS = 15 * MINUTE;
/** Bytes of a tag's entries in the live map and the active set (hash table slots included). */
const LIVE_TAG_ENTRY_BYTES = 64;

/** One input partition's event-time clock and reorder buffer (embedded mode has only partition 0). */
interface PartitionClock {
  readonly id: number;
  readonly heap: EventHeap;
  /** Largest event time seen (event-time mode) or the transport's watermark (source mode). */
  clock: number;
  /** Every event at or before this has been released. */
  releasedThrough: number;
  /** Next minute boundary to tick (NaN before the first event). */
  nextTick: number;
  /** First minute of the stream (warm-up reference); null when restored from checkpoints (already warm). */
  stageStart: number | null | undefined;
  /** True once the transport drives the clock through `sourceWatermark`. */
  sourceDriven: boolean;
  /** Largest event time seen (whatever drives the clock): a jump past `streamGapMs` is a gap in watching. */
  maxSeen: number;
  /** After a gap: the minute tick at which the partition's tags relearn their baselines. */
  rewarmAt: number | undefined;
  /** Tags ticked every minute: open minutes, or an event within `activeTickMs`. */
  readonly active: Set<TagState>;
}

/** `sourceWatermark` value meaning end of input. */
const END_OF_INPUT = Number.MAX_SAFE_INTEGER;

/** A detector, or a factory given the stage's per-tag figures (for detectors that read velocity or spread). */
export type DetectorSource = TagDetector | ((metrics: TagMetricsReader) => TagDetector);

export interface AnalyzeStageSettings {
  /** Used as given: pass `moduleLogger(root, 'analyze')`. */
  log?: Logger;
  /** Checkpoints to restore before the first batch (the store's `tag_state`, a compacted topic). */
  state?: StateSource;
  /**
   * `event-time` (embedded): the clock is the largest event time seen. `source`: the transport
   * drives it through `sourceWatermark` (e.g. the minimum over upstream producers).
   */
  watermark?: 'event-time' | 'source';
}

function floorMinute(ts: number): number {
  return Math.floor(ts / MINUTE) * MINUTE;
}

/**
 * The analyze stage: per-tag event-time minutes, velocity and spread, and the detectors.
 *
 * Determinism: every record goes into a reorder buffer ordered by (event time, post key). Events
 * leave it once the clock (largest event time seen, or the source watermark) is `reorderBoundMs`
 * past them, and minute ticks are interleaved at minute boundaries, so each tag's detectors see
 * the same calls in the same order whatever the batch boundaries, replay speed or interleaving of
 * upstream workers (as long as disorder stays within the bound). Minute rows are emitted when
 * their minute's tick passes (revision 0) and stay open until `allowedLatenessMs` past their end;
 * a post that arrives in that time re-emits its minute with the next revision, and a post later
 * still is counted (posts and `latePosts`) in the minute being accumulated when it arrived.
 *
 * All processing happens per record, never per batch, and reads no wall clock. A partition
 * silent for `streamGapMs` (downtime) makes its tags relearn their baselines instead of taking
 * the silence for zeros. A detector that throws is logged and counted; the event still counts.
 */
export class AnalyzeStage implements Stage, TagMetricsReader, AsyncDisposable {
  readonly name = 'analyze';
  readonly inputs: readonly StreamName[] = [Streams.tagEvents];
  readonly options: AnalyzeOptions;
  readonly burst: BurstDetector;
  readonly #detectors: TagDetector[];
  readonly #log: Logger;
  readonly #watermarkMode: 'event-time' | 'source';
  readonly #prior: PopulationPrior;
  readonly #pendingKeys = new Set<string>();
  /** Live tags, least recently released first (the LRU and idle order). */
  readonly #live = new TagLru();
  readonly #partitions = new Map<number, PartitionClock>();
  #state: StateSource | undefined;
  #restoring: Promise<void> | undefined;
  #closed = false;
  /**
   * True while the last full checkpoint (every live tag) is still current apart from what the
   * dirty flags record: nothing was processed, restored or revoked since. The shutdown flush
   * that follows the final flush of a replay then re-emits nothing but what changed.
   */
  #fullCheckpointCurrent = false;
  readonly #out = { metrics: [] as Array<BusRecord<'metrics'>>, flags: [] as Array<BusRecord<'flags'>>, state: [] as Array<BusRecord<'analyze-state'>> };
  readonly #figures: AnalyzeFigures = {
    events: 0,
    duplicates: 0,
    reordered: 0,
    late: 0,
    liveTags: 0,
    pendingEvents: 0,
    evictedIdle: 0,
    evictedLru: 0,
    minutesEmitted: 0,
    revisionsEmitted: 0,
    flags: 0,
    checkpoints: 0,
    detectorErrors: 0,
    watermark: Number.NEGATIVE_INFINITY,
  };

  constructor(options: AnalyzeOptionsInput | AnalyzeOptions = {}, detectors: readonly DetectorSource[] = [], settings: AnalyzeStageSettings = {}) {
    this.options = AnalyzeOptionsSchema.parse(options);
    this.#log = settings.log ?? silentLogger();
    this.#watermarkMode = settings.watermark ?? 'event-time';
    this.#state = settings.state;
    this.#prior = new PopulationPrior(this.options.prior);
    this.burst = new BurstDetector(this.options.burst, this);
    this.#detectors = [this.burst, ...detectors.map((d) => (typeof d === 'function' ? d(this) : d))];
  }

  // ---------------------------------------------------------------- Stage

  async process(batch: RecordBatch, out: Producer): Promise<void> {
    this.#assertOpen();
    await this.#ensureRestored();
    this.#fullCheckpointCurrent = false;
    const p = this.#partition(batch.partition);
    const rejected: Array<BusRecord<'dlq'>> = [];
    for (const record of batch.records) {
      const event = record.value as TagEvent;
      if (!isTagEvent(event)) {
        const err = new ValidationError(ErrorCodes.MESSAGE_INVALID, 'tag event without tag, post key or finite event time', { input: event });
        rejected.push({ key: record.key, value: toDeadLetter(this.name, `${batch.stream}/${batch.partition}/${record.key}`, err, event) });
        continue;
      }
      this.#onEvent(p, event);
    }
    if (rejected.length > 0) await out.send(Streams.deadLetters, rejected);
    await this.#emit(out);
  }

  /**
   * `final` (end of a replay): releases every buffered event, closes every minute and emits it,
   * then checkpoints. Otherwise (shutdown): checkpoints every tag, buffered events and open
   * minutes included, so a restart continues exactly where this one stopped.
   */
  async flush(out: Producer, final: boolean): Promise<void> {
    await this.#ensureRestored();
    if (final) for (const p of this.#partitions.values()) this.#finish(p);
    // Every tag, unless a full checkpoint was taken since the last change of any other kind
    // (then the dirty ones are exactly what changed since it).
    this.#checkpoint(!this.#fullCheckpointCurrent);
    await this.#emit(out);
    this.#log.info({ figures: this.figures() }, final ? 'analyze flushed (final)' : 'analyze checkpointed');
  }

  /**
   * Kafka mode: the transport's watermark for one input partition (no event older than it will
   * come). From the first call on, that partition's clock follows the watermark instead of the
   * largest event time. `Number.MAX_SAFE_INTEGER` is the end of input: close everything.
   */
  async sourceWatermark(stream: StreamName, partition: number, watermark: number, out: Producer, info: { streamStart?: number } = {}): Promise<void> {
    this.#assertOpen();
    await this.#ensureRestored();
    if (stream !== Streams.tagEvents) return;
    this.#fullCheckpointCurrent = false;
    const p = this.#partition(partition);
    p.sourceDriven = true;
    // The warm-up reference is the stream's start, the same on every partition (as in one embedded
    // partition), not the first event of this one; a restored partition keeps its checkpointed one.
    if (p.stageStart === undefined && info.streamStart !== undefined) p.stageStart = floorMinute(info.streamStart);
    if (watermark >= END_OF_INPUT) {
      this.#finish(p);
    } else if (watermark > p.clock) {
      p.clock = watermark;
      // Everything before the watermark has arrived: the earliest buffered event starts the clock.
      if (Number.isNaN(p.nextTick) && p.heap.size > 0) this.#startClock(p, (p.heap.peek() as PendingEvent).ts);
      // A watermark promises no event BEFORE it: events at exactly its time may still come.
      if (!Number.isNaN(p.nextTick)) this.#release(p, watermark - 1);
    }
    await this.#emit(out);
  }

  /** Kafka mode: emits a checkpoint of every tag changed since the last one (committed with the offsets). */
  async checkpoint(out: Producer): Promise<void> {
    await this.#ensureRestored();
    this.#checkpoint(false);
    await this.#emit(out);
  }

  /** Kafka mode: before the first batch of a newly assigned partition, its tags' committed checkpoints. */
  async restoreState(partition: number, snapshots: StateSource): Promise<void> {
    await this.#ensureRestored();
    this.#fullCheckpointCurrent = false;
    await this.#restoreFrom(partition, snapshots);
  }

  /** Kafka mode: the partitions were taken away; forget their tags and buffered events, emit nothing. */
  onRevoked(stream: StreamName, partitions: readonly number[]): Promise<void> {
    if (stream !== Streams.tagEvents) return Promise.resolve();
    this.#fullCheckpointCurrent = false;
    const gone = new Set(partitions);
    for (const t of [...this.#live.values()]) {
      if (!gone.has(t.partition)) continue;
      for (const d of this.#detectors) d.evict(t.tag);
      this.#live.delete(t.tag);
    }
    for (const id of gone) {
      const p = this.#partitions.get(id);
      if (p === undefined) continue;
      for (const e of p.heap.values()) this.#pendingKeys.delete(e.pendingKey);
      this.#partitions.delete(id);
    }
    return Promise.resolve();
  }

  /** Embedded mode: loads checkpoints (the store's `tag_state`) into partition 0. Returns the number of tags restored. */
  async restore(source: StateSource): Promise<number> {
    await this.#ensureRestored();
    this.#fullCheckpointCurrent = false;
    return this.#restoreFrom(0, source);
  }

  close(): Promise<void> {
    this.#closed = true;
    return Promise.resolve();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  // ---------------------------------------------------------------- read API

  figures(): AnalyzeFigures {
    let pending = 0;
    let watermark = Number.NEGATIVE_INFINITY;
    for (const p of this.#partitions.values()) {
      pending += p.heap.size;
      watermark = Math.max(watermark, p.clock);
    }
    return { ...this.#figures, liveTags: this.#live.size, pendingEvents: pending, watermark };
  }

  /**
   * Estimated bytes held per live tag: the tags' own state and what the detectors report holding
   * (`TagDetector.bytes`), over the live tags. The reorder buffer is excluded (it holds posts, not tag state).
   */
  bytesPerLiveTag(): number {
    if (this.#live.size === 0) return 0;
    let total = 0;
    for (const t of this.#live.values()) total += t.bytes + LIVE_TAG_ENTRY_BYTES;
    for (const d of this.#detectors) total += d.bytes?.() ?? 0;
    return total / this.#live.size;
  }

  /** What the stage knows about `tag` now (web UI, terminal view), or undefined when it is not live. */
  snapshot(tag: string): TagView | undefined {
    const t = this.#live.get(tag);
    if (t === undefined) return undefined;
    return this.view(tag, this.#now(t));
  }

  /** The `n` live tags with the most posts in the last 60 s of event time, busiest first. */
  topTags(n = 20): TagView[] {
    const top: Array<{ tag: string; rate: number; now: number }> = [];
    for (const t of this.#live.values()) {
      const now = this.#now(t);
      const rate = this.#rate(t, now);
      if (rate <= 0 || (top.length >= n && rate <= (top[top.length - 1] as { rate: number }).rate)) continue;
      let i = top.length;
      while (i > 0 && (top[i - 1] as { rate: number }).rate < rate) i--;
      top.splice(i, 0, { tag: t.tag, rate, now });
      if (top.length > n) top.pop();
    }
    return top.map((x) => this.view(x.tag, x.now)).filter((v): v is TagView => v !== undefined);
  }

  // ---------------------------------------------------------------- TagMetricsReader

  burstInputs(tag: string, now: number, into?: BurstInputs): BurstInputs | undefined {
    const t = this.#live.get(tag);
    if (t === undefined) return undefined;
    const m = floorMinute(now);
    const current = t.minuteAt(m)?.posts ?? 0;
    const out = into ?? { ready: false, posts1: 0, posts5: 0, baselineMean: 0, baselineStd: 0, ageMinutes: 0 };
    out.ready = t.velocity.ready;
    out.posts1 = t.velocity.rate(now, m, current);
    out.posts5 = this.#posts5(t, now, m, current);
    out.baselineMean = t.velocity.mean;
    out.baselineStd = t.velocity.std(this.#prior.meanPerMinute);
    out.ageMinutes = (now - t.bornTs) / MINUTE;
    return out;
  }

  authorsSince(tag: string, since: number): number {
    return this.#live.get(tag)?.spread.authorsSince(since) ?? 0;
  }

  /** Posts in the 5 minutes ending at `now`: the open minute, the 4 closed before it, and a share of the 5th. */
  #posts5(t: TagState, now: number, m: number, current: number): number {
    const frac = (now - m) / MINUTE;
    return t.spread.closedPostsSince(m - 5 * MINUTE, m, 1 - frac, current);
  }

  view(tag: string, now: number): TagView | undefined {
    const t = this.#live.get(tag);
    if (t === undefined) return undefined;
    const m = floorMinute(now);
    const cur = t.minuteAt(m);
    const prev = t.minuteAt(m - MINUTE);
    const recentPosts = (cur?.posts ?? 0) + (prev?.posts ?? 0);
    const share = (f: (a: MinuteAccumulator) => number): number =>
      recentPosts === 0 ? 0 : ((cur === undefined ? 0 : f(cur)) + (prev === undefined ? 0 : f(prev))) / recentPosts;
    const sd = t.velocity.std(this.#prior.meanPerMinute);
    const rate = t.velocity.rate(now, m, cur?.posts ?? 0);
    const openMinute = cur !== undefined && cur.velocity === undefined;
    const open = { posts: openMinute ? cur.posts : 0, reposts: openMinute ? cur.reposts : 0 };
    const t100 = t.spread.reached100;
    const t1000 = t.spread.reached1000;
    const doubling = t.spread.authorDoublingMs;
    return {
      tag,
      display: t.display,
      firstSeen: t.bornTs,
      lastSeen: t.lastTs,
      isNew: t.velocity.selfPrior === 0 && now - t.bornTs < HOUR,
      asOf: now,
      posts: t.posts,
      uniqueAuthors: t.authors.size,
      timeTo100Ms: Number.isNaN(t100) ? null : t100 - t.bornTs,
      timeTo1000Ms: Number.isNaN(t1000) ? null : t1000 - t.bornTs,
      authorDoublingMs: Number.isNaN(doubling) ? null : doubling,
      firstPosters: [...t.spread.firstPosters],
      coTags: t.spread.topCoTags(),
      rolling: ROLLING_WINDOWS.map((w) => t.spread.rolling(now, w, open)),
      cascades: t.spread.cascades?.figures(Number.NEGATIVE_INFINITY, true) ?? { count: 0, largest: 0, maxDepth: 0, virality: 0 },
      velocity: {
        rate,
        velocity: t.velocity.velocity,
        acceleration: t.velocity.acceleration,
        baselineMean: t.velocity.mean,
        baselineStd: sd,
        zscore: t.velocity.ready ? (rate - t.velocity.mean) / sd : 0,
      },
      repostShare: share((a) => a.reposts),
      youngShare: share((a) => a.youngPosts),
      burst: this.burst.episode(tag),
    };
  }

  recentSample(tag: string, maxAuthors: number, maxPosts: number): { authors: string[]; postIds: string[] } {
    const t = this.#live.get(tag);
    if (t === undefined) return { authors: [], postIds: [] };
    const accs = t.minutes.slice(-2);
    const counts = new Map<string, number>();
    const postIds: string[] = [];
    for (const acc of accs) {
      for (const [a, n] of acc.authorPosts()) counts.set(a, (counts.get(a) ?? 0) + n);
      for (const k of acc.postKeys()) if (postIds.length < maxPosts) postIds.push(k);
    }
    const authors = [...counts]
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
      .slice(0, maxAuthors)
      .map(([a]) => a);
    return { authors, postIds };
  }

  // ---------------------------------------------------------------- events

  #partition(id: number): PartitionClock {
    let p = this.#partitions.get(id);
    if (p === undefined) {
      p = {
        id,
        heap: new EventHeap(),
        clock: Number.NEGATIVE_INFINITY,
        releasedThrough: Number.NEGATIVE_INFINITY,
        nextTick: Number.NaN,
        stageStart: undefined,
        sourceDriven: this.#watermarkMode === 'source',
        maxSeen: Number.NEGATIVE_INFINITY,
        rewarmAt: undefined,
        active: new Set(),
      };
      this.#partitions.set(id, p);
    }
    return p;
  }

  #onEvent(p: PartitionClock, event: TagEvent): void {
    this.#figures.events++;
    const ts = event.post.ts;
    const key = postKey(event.post.platform, event.post.id);
    // A source-driven partition starts its clock at the first release instead: events of several
    // upstream partitions arrive interleaved, so the first to arrive need not be the earliest.
    if (Number.isNaN(p.nextTick) && !p.sourceDriven) this.#startClock(p, ts);
    if (ts > p.maxSeen) {
      if (ts - p.maxSeen > this.options.streamGapMs && (!p.sourceDriven || Number.isFinite(p.maxSeen))) this.#afterGap(p, ts);
      p.maxSeen = ts;
    }
    const pendingKey = `${event.tag}\u0000${key}`;
    const t = this.#live.get(event.tag);
    if (this.#pendingKeys.has(pendingKey) || this.#isCounted(p, t, ts, key)) {
      this.#figures.duplicates++;
      return;
    }
    if (t !== undefined) {
      t.maxSeenTs = Math.max(t.maxSeenTs, ts);
      t.dirty = true;
    }
    if (ts > p.releasedThrough) {
      p.heap.push({ ts, key, pendingKey, event });
      this.#pendingKeys.add(pendingKey);
    } else {
      // Past the reorder bound: it cannot be put back in order any more; count it where it belongs.
      this.#releaseEvent(p, event, key);
    }
    if (!p.sourceDriven && ts > p.clock) {
      p.clock = ts;
      this.#release(p, ts - this.options.reorderBoundMs);
    }
  }

  /**
   * Nothing arrived on this partition for longer than `streamGapMs`: we were not watching. Its
   * tags relearn their level (no burst until they have), and tags first seen in the next
   * `warmupMs` count as already active rather than new.
   */
  #afterGap(p: PartitionClock, ts: number): void {
    p.stageStart = floorMinute(ts);
    // At the tick of the first minute after the gap, once every minute before it has closed.
    p.rewarmAt = floorMinute(ts);
    this.#log.info({ partition: p.id, gapMs: ts - p.maxSeen }, 'gap in the stream: baselines relearn from the next minutes');
  }

  #rewarm(p: PartitionClock): void {
    p.rewarmAt = undefined;
    for (const t of this.#live.values()) {
      if (t.partition !== p.id) continue;
      t.velocity.rewarm();
      t.dirty = true;
    }
  }

  #startClock(p: PartitionClock, ts: number): void {
    const first = p.sourceDriven && Number.isFinite(p.clock) ? Math.min(ts, p.clock) : ts;
    p.stageStart ??= floorMinute(first);
    p.nextTick = floorMinute(first - (p.sourceDriven ? 0 : this.options.reorderBoundMs)) + MINUTE;
  }

  #isCounted(p: PartitionClock, t: TagState | undefined, ts: number, key: string): boolean {
    if (t === undefined) return false;
    if (t.minuteAt(floorMinute(ts))?.has(key) === true) return true;
    return t.minuteAt(p.nextTick - MINUTE)?.has(key) === true;
  }

  /** Releases buffered events up to `through`, ticking each minute boundary on the way. */
  #release(p: PartitionClock, through: number): void {
    if (through <= p.releasedThrough) return;
    for (let top = p.heap.peek(); top !== undefined && top.ts <= through; top = p.heap.peek()) {
      while (top.ts >= p.nextTick) this.#tick(p, p.nextTick);
      p.heap.pop();
      this.#pendingKeys.delete(top.pendingKey);
      this.#releaseEvent(p, top.event, top.key);
    }
    while (p.nextTick <= through) this.#tick(p, p.nextTick);
    p.releasedThrough = through;
  }

  /** A minute is final once the tick `allowedLatenessMs − reorderBoundMs` past its end has passed. */
  #isFinal(p: PartitionClock, minute: number): boolean {
    const lastTick = p.nextTick - MINUTE;
    return minute + MINUTE + this.options.allowedLatenessMs <= lastTick + this.options.reorderBoundMs;
  }

  #releaseEvent(p: PartitionClock, event: TagEvent, key: string): void {
    const o = this.options;
    const post = event.post;
    const ts = post.ts;
    const current = p.nextTick - MINUTE;
    let minute = floorMinute(ts);
    let late = false;
    if (this.#isFinal(p, minute)) {
      late = true;
      minute = current;
      this.#figures.late++;
    } else if (minute < current) {
      this.#figures.reordered++;
    }
    let t = this.#live.get(event.tag);
    if (t !== undefined && ts - t.lastTs > o.idleEvictionMs) {
      this.#evict(t, 'idle');
      t = undefined;
    }
    if (t === undefined) {
      const warm = p.stageStart === null || (p.stageStart !== undefined && ts >= p.stageStart + o.warmupMs);
      t = TagState.create(event, p.id, Math.min(minute, current), o, warm ? this.#prior.current() : undefined);
      this.#live.put(t);
      if (this.#live.size > o.maxLiveTags) this.#evictLeastRecent();
    } else {
      if (!p.active.has(t) && t.clock < minute) this.#catchUp(t, minute);
      this.#live.touch(t);
    }
    const acc = t.minute(minute);
    if (acc.velocity === undefined && minute < current) acc.velocity = this.#velocityNow(t, acc.posts + 1);
    const author = post.author;
    const authorHash = hash32(author.id) || 1;
    const isNew = t.authors.addHash(authorHash);
    const young = author.createdTs !== undefined && ts - author.createdTs < o.youngAccountMs;
    acc.add(event, key, isNew, young, late);
    t.posts++;
    if (t.firstHourPosts >= 0 && ts < t.bornTs + HOUR) t.firstHourPosts++;
    if (ts > t.lastTs) t.lastTs = ts;
    if (ts > t.maxSeenTs) t.maxSeenTs = ts;
    t.dirty = true;
    const parentKey = post.parentId !== undefined && post.kind !== 'original' ? postKey(post.platform, post.parentId) : undefined;
    t.spread.observe(ts, author.id, authorHash, post.id, isNew, t.posts, t.authors.size, post.tags, event.tag, key, parentKey);
    p.active.add(t);
    for (const d of this.#detectors) this.#observe(d, event);
  }

  /** Velocity figures for a minute that is opened after its tick passed (a reordered post). */
  #velocityNow(t: TagState, posts: number): MinuteVelocity {
    const sd = t.velocity.std(this.#prior.meanPerMinute);
    return {
      velocity: t.velocity.velocity,
      acceleration: t.velocity.acceleration,
      baselineMean: t.velocity.mean,
      baselineStd: sd,
      zscore: t.velocity.ready ? (posts - t.velocity.mean) / sd : 0,
    };
  }

  /** A tag that was not ticked while quiet: bring its detectors' clock to `minute` before its next post. */
  #catchUp(t: TagState, minute: number): void {
    t.clock = minute;
    t.spread.expire(minute);
    this.#reportFirstHour(t, minute);
    for (const d of this.#detectors) this.#advance(d, t.tag, minute, undefined);
  }

  // ---------------------------------------------------------------- minutes

  /** The partition's clock passed minute boundary `now`: close the minute before it for every active tag. */
  #tick(p: PartitionClock, now: number): void {
    const o = this.options;
    if (p.rewarmAt !== undefined && now >= p.rewarmAt) this.#rewarm(p);
    for (const t of p.active) this.#tickTag(p, t, now);
    this.#sweepIdle(p, now);
    this.#prior.advance(now);
    p.nextTick = now + MINUTE;
    if (o.checkpointIntervalMs > 0 && now % o.checkpointIntervalMs === 0) this.#checkpoint(false);
  }

  #tickTag(p: PartitionClock, t: TagState, now: number): void {
    const o = this.options;
    // A tag restored from a checkpoint may already have had this tick.
    if (t.clock >= now) return;
    const closing = now - MINUTE;
    const acc = t.minuteAt(closing);
    let row: TagMinute | undefined;
    if (acc !== undefined && acc.velocity === undefined) {
      acc.velocity = t.velocity.close(closing, acc.posts, this.#prior.meanPerMinute);
      t.spread.closeMinute(closing, acc.posts, acc.reposts, now);
      row = this.#emitMinute(t, acc);
    } else if (now % EXPIRE_EVERY_MS === 0) {
      // Expiry only frees memory (every figure filters by time), so a quiet tag does it rarely.
      t.spread.expire(now);
    }
    t.clock = now;
    for (const d of this.#detectors) this.#advance(d, t.tag, now, row);
    if (t.minutes.length > 0) {
      // Final: m + MINUTE + allowedLatenessMs <= now + reorderBoundMs.
      for (const a of t.takeMinutesThrough(now + o.reorderBoundMs - o.allowedLatenessMs - MINUTE)) {
        if (a.velocity === undefined) a.velocity = this.#velocityNow(t, a.posts);
        if (a.needsEmit) this.#emitMinute(t, a);
      }
    }
    this.#reportFirstHour(t, now);
    t.dirty = true;
    if (t.minutes.length === 0 && t.lastTs < now - o.activeTickMs) p.active.delete(t);
  }

  #emitMinute(t: TagState, acc: MinuteAccumulator): TagMinute {
    const row = acc.emit(t.tag);
    if (row.revision === 0) this.#figures.minutesEmitted++;
    else this.#figures.revisionsEmitted++;
    this.#out.metrics.push({ key: t.tag, value: row });
    return row;
  }

  #reportFirstHour(t: TagState, now: number): void {
    if (t.firstHourPosts >= 0 && now >= t.bornTs + HOUR) {
      this.#prior.record(t.bornTs, t.firstHourPosts);
      t.firstHourPosts = -1;
    }
  }

  /** Releases everything of a partition and closes every minute (end of input). */
  #finish(p: PartitionClock): void {
    let last = p.clock;
    for (const e of p.heap.values()) last = Math.max(last, e.ts);
    for (const t of this.#live.values()) if (t.partition === p.id) last = Math.max(last, t.lastTs);
    if (!Number.isFinite(last) || last >= END_OF_INPUT) return;
    if (Number.isNaN(p.nextTick)) this.#startClock(p, p.heap.size > 0 ? (p.heap.peek() as PendingEvent).ts : last);
    if (!p.sourceDriven) p.clock = Math.max(p.clock, last);
    this.#release(p, floorMinute(last) + MINUTE);
    for (const t of this.#live.values()) {
      if (t.partition !== p.id || t.minutes.length === 0) continue;
      for (const a of t.takeMinutesThrough(Number.POSITIVE_INFINITY)) {
        if (a.velocity === undefined) a.velocity = this.#velocityNow(t, a.posts);
        if (a.needsEmit) this.#emitMinute(t, a);
      }
      t.dirty = true;
    }
  }

  // ---------------------------------------------------------------- eviction

  /** Forgets this partition's tags idle for `idleEvictionMs` (the live map is roughly in last-event order). */
  #sweepIdle(p: PartitionClock, now: number): void {
    const limit = now - this.options.idleEvictionMs;
    for (const t of this.#live.values()) {
      if (t.lastTs >= limit) break;
      if (t.partition !== p.id || t.minutes.length > 0) continue;
      this.#evict(t, 'idle');
    }
  }

  #evictLeastRecent(): void {
    const first = this.#live.first();
    if (first !== undefined) this.#evict(first, 'lru');
  }

  #evict(t: TagState, reason: 'idle' | 'lru'): void {
    for (const a of t.minutes) {
      if (a.velocity === undefined) a.velocity = this.#velocityNow(t, a.posts);
      if (a.needsEmit) this.#emitMinute(t, a);
    }
    this.#reportFirstHour(t, Number.POSITIVE_INFINITY);
    for (const d of this.#detectors) d.evict(t.tag);
    this.#live.delete(t.tag);
    this.#partitions.get(t.partition)?.active.delete(t);
    this.#out.state.push({ key: t.tag, value: null });
    if (reason === 'idle') this.#figures.evictedIdle++;
    else this.#figures.evictedLru++;
  }

  // ---------------------------------------------------------------- checkpoints

  #checkpoint(all: boolean): void {
    const pending = new Map<string, TagEvent[]>();
    const pendingPartition = new Map<string, number>();
    for (const p of this.#partitions.values()) {
      for (const e of [...p.heap.values()].sort(comparePending)) {
        const list = pending.get(e.event.tag);
        if (list === undefined) {
          pending.set(e.event.tag, [e.event]);
          pendingPartition.set(e.event.tag, p.id);
        } else list.push(e.event);
      }
    }
    for (const t of this.#live.values()) {
      if (!all && !t.dirty && !pending.has(t.tag)) continue;
      const cp: TagCheckpoint = { v: CHECKPOINT_VERSION, core: t.toJSON(), ...this.#partitionCheckpoint(t.partition) };
      const det: Record<string, unknown> = {};
      for (const d of this.#detectors) {
        const s = d.snapshot(t.tag);
        if (s !== undefined) det[d.name] = s;
      }
      if (Object.keys(det).length > 0) cp.det = det;
      const p = pending.get(t.tag);
      if (p !== undefined) {
        cp.pending = p;
        pending.delete(t.tag);
      }
      this.#out.state.push({ key: t.tag, value: { tag: t.tag, state: cp } });
      t.dirty = false;
    }
    for (const [tag, events] of pending) {
      const partition = pendingPartition.get(tag);
      const cp: TagCheckpoint = { v: CHECKPOINT_VERSION, pending: events, ...(partition === undefined ? {} : this.#partitionCheckpoint(partition)) };
      this.#out.state.push({ key: tag, value: { tag, state: cp } });
    }
    if (this.#prior.dirty || all) {
      const stage: StageCheckpoint = { v: CHECKPOINT_VERSION, prior: this.#prior.toJSON() };
      this.#out.state.push({ key: STAGE_STATE_KEY, value: { tag: STAGE_STATE_KEY, state: stage } });
      this.#prior.dirty = false;
    }
    this.#figures.checkpoints++;
    if (all) this.#fullCheckpointCurrent = true;
  }

  /**
   * The partition's clock as every checkpoint of one of its tags carries it (a restore takes the
   * newest): the warm-up reference, the next minute tick and a rewarm not yet done. A partition
   * restored from buffered events alone, or right after a gap, then ticks the same minutes and
   * classifies and rewarms the same tags as the uninterrupted run.
   */
  #partitionCheckpoint(id: number): Pick<TagCheckpoint, 'ss' | 'nt' | 'rw'> {
    const p = this.#partition(id);
    const out: Pick<TagCheckpoint, 'ss' | 'nt' | 'rw'> = { ss: p.stageStart ?? null };
    if (!Number.isNaN(p.nextTick)) out.nt = p.nextTick;
    if (p.rewarmAt !== undefined) out.rw = p.rewarmAt;
    return out;
  }

  #ensureRestored(): Promise<void> {
    if (this.#state === undefined) return this.#restoring ?? Promise.resolve();
    const source = this.#state;
    this.#state = undefined;
    this.#restoring = this.#restoreFrom(0, source).then(() => undefined);
    return this.#restoring;
  }

  /**
   * Loads checkpoints into partition `partition`. Its clock is rebuilt from the tags: the last
   * tick any of them had, the largest event time seen; tags already ticked there are not ticked
   * again, so resuming from a checkpoint replays no minute and fires no flag twice.
   */
  async #restoreFrom(partition: number, source: StateSource): Promise<number> {
    const p = this.#partition(partition);
    let tags = 0;
    let skipped = 0;
    const restored: TagState[] = [];
    let maxSeen = Number.NEGATIVE_INFINITY;
    // The latest stream start recorded by the checkpoints (a gap moves it later); null = warm.
    let streamStart: number | null = null;
    let nextTick = Number.NaN;
    let rewarmAt: number | undefined;
    for await (const snap of source) {
      try {
        if (snap.tag === STAGE_STATE_KEY) {
          const stage = StageCheckpointSchema.parse(snap.state);
          this.#prior.restore(stage.prior);
          continue;
        }
        const cp = TagCheckpointSchema.parse(snap.state) as unknown as TagCheckpoint;
        if (cp.core !== undefined) {
          const t = TagState.fromJSON(snap.tag, partition, cp.core, this.options);
          this.#live.put(t);
          restored.push(t);
          for (const d of this.#detectors) {
            const s = cp.det?.[d.name];
            if (s !== undefined) d.restore(t.tag, s);
          }
          maxSeen = Math.max(maxSeen, t.maxSeenTs);
          tags++;
        }
        // The partition clock, on tag and pending-only checkpoints alike; values only move forward, so the largest is the newest.
        if (typeof cp.ss === 'number') streamStart = streamStart === null ? cp.ss : Math.max(streamStart, cp.ss);
        if (typeof cp.nt === 'number') nextTick = Number.isNaN(nextTick) ? cp.nt : Math.max(nextTick, cp.nt);
        if (typeof cp.rw === 'number') rewarmAt = Math.max(rewarmAt ?? cp.rw, cp.rw);
        for (const event of cp.pending ?? []) {
          this.#restorePending(p, event);
          maxSeen = Math.max(maxSeen, event.post.ts);
        }
      } catch (err) {
        skipped++;
        this.#log.error({ err, tag: snap.tag }, 'checkpoint could not be restored; the tag starts afresh');
      }
    }
    restored.sort((a, b) => a.lastTs - b.lastTs);
    let lastTick = Number.NEGATIVE_INFINITY;
    let lastReleased = Number.NEGATIVE_INFINITY;
    for (const t of restored) {
      this.#live.put(t);
      lastTick = Math.max(lastTick, t.clock);
      lastReleased = Math.max(lastReleased, t.lastTs);
    }
    // Events seen before the restore (buffered ones too): the next one must not look like a gap.
    p.maxSeen = Math.max(p.maxSeen, maxSeen);
    if (tags > 0 || streamStart !== null) p.stageStart = streamStart;
    if (tags > 0) {
      const next = Math.max(lastTick + MINUTE, Number.isNaN(nextTick) ? Number.NEGATIVE_INFINITY : nextTick);
      if (Number.isNaN(p.nextTick) || p.nextTick < next) p.nextTick = next;
      p.releasedThrough = Math.max(p.releasedThrough, lastTick, lastReleased);
      p.clock = Math.max(p.clock, p.sourceDriven ? p.releasedThrough : maxSeen);
      for (const t of restored) {
        if (t.minutes.length > 0 || t.lastTs >= lastTick - this.options.activeTickMs) p.active.add(t);
      }
    } else if (!Number.isNaN(nextTick) && Number.isNaN(p.nextTick)) {
      p.nextTick = nextTick;
    } else if (p.heap.size > 0 && Number.isNaN(p.nextTick) && !p.sourceDriven) {
      this.#startClock(p, (p.heap.peek() as PendingEvent).ts);
    }
    // A rewarm is still due only if its tick has not passed (once done, newer checkpoints carry a later next tick).
    if (rewarmAt !== undefined && rewarmAt >= p.nextTick) p.rewarmAt = rewarmAt;
    this.#log.info({ partition, tags, skipped, pending: p.heap.size, watermark: p.clock }, 'analyze state restored');
    return tags;
  }

  #restorePending(p: PartitionClock, event: TagEvent): void {
    const key = postKey(event.post.platform, event.post.id);
    const pendingKey = `${event.tag}\u0000${key}`;
    if (this.#pendingKeys.has(pendingKey)) return;
    this.#pendingKeys.add(pendingKey);
    p.heap.push({ ts: event.post.ts, key, pendingKey, event });
  }

  // ---------------------------------------------------------------- output

  // Detector calls. A detector bug must not stop the stage or lose the event's counts: the error
  // is logged (the first 100, then every 1,000th) and counted, and the others run. (Two methods
  // rather than one taking a closure: they run for every event and every tick.)

  #observe(d: TagDetector, event: TagEvent): void {
    let flags: Flag[];
    try {
      flags = d.observe(event);
    } catch (err) {
      this.#detectorFailed(d, err);
      return;
    }
    if (flags.length > 0) this.#pushFlags(flags);
  }

  #advance(d: TagDetector, tag: string, now: number, row: TagMinute | undefined): void {
    let flags: Flag[];
    try {
      flags = d.advance(tag, now, row);
    } catch (err) {
      this.#detectorFailed(d, err);
      return;
    }
    if (flags.length > 0) this.#pushFlags(flags);
  }

  #detectorFailed(d: TagDetector, err: unknown): void {
    const n = ++this.#figures.detectorErrors;
    if (n <= 100 || n % 1_000 === 0) this.#log.error({ err, detector: d.name, errors: n }, 'detector failed; event counted, detector skipped');
  }

  #pushFlags(flags: readonly Flag[]): void {
    for (const f of flags) {
      this.#out.flags.push({ key: f.tag, value: f });
      this.#figures.flags++;
    }
  }

  async #emit(out: Producer): Promise<void> {
    const { metrics, flags, state } = this.#out;
    if (metrics.length > 0) await out.send(Streams.metrics, metrics.splice(0));
    if (flags.length > 0) await out.send(Streams.flags, flags.splice(0));
    if (state.length > 0) await out.send(Streams.analyzeState, state.splice(0));
  }

  /** The event time a tag's partition has reached (its clock, or the tag's last event). */
  #now(t: TagState): number {
    const p = this.#partitions.get(t.partition);
    const clock = p === undefined ? t.lastTs : Math.max(p.clock, t.lastTs);
    return Number.isFinite(clock) ? clock : t.lastTs;
  }

  #rate(t: TagState, now: number): number {
    const m = floorMinute(now);
    return t.velocity.rate(now, m, t.minuteAt(m)?.posts ?? 0);
  }

  #assertOpen(): void {
    if (this.#closed) throw new ClosedError(ErrorCodes.CLOSED, 'analyze stage is closed');
  }
}

function comparePending(a: PendingEvent, b: PendingEvent): number {
  if (a.ts !== b.ts) return a.ts - b.ts;
  return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
}

function isTagEvent(value: unknown): value is TagEvent {
  const e = value as Partial<TagEvent> | null;
  return (
    typeof e === 'object' &&
    e !== null &&
    typeof e.tag === 'string' &&
    e.tag.length > 0 &&
    typeof e.post === 'object' &&
    e.post !== null &&
    typeof e.post.id === 'string' &&
    typeof e.post.platform === 'string' &&
    Number.isFinite(e.post.ts) &&
    typeof e.post.author?.id === 'string'
  );
}
