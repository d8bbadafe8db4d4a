import type { TagDetector } from './detector.ts';
import type { Flag, TagEvent, TagMinute } from '../model/index.ts';
import { FlagKinds } from '../model/index.ts';
import { flagId } from './flag-id.ts';
import { MINUTE, type BurstOptions } from './options.ts';
import type { BurstInputs, TagMetricsReader, TagView } from './types.ts';

/** Returned when nothing fires (most calls): one shared, frozen empty list instead of a new one each time. */
const NO_FLAGS: Flag[] = Object.freeze([]) as unknown as Flag[];

/** One open episode: the flag as fired, and what ends it. */
interface Episode {
  flag: Flag;
  /** Posts/min that fired it; a minute under `calmRatio` of this is calm. */
  threshold: number;
  peak: number;
  calm: number;
  /** End of the last minute that was not calm. */
  lastActive: number;
}

/** JSON form of one tag's burst state. */
interface BurstState {
  e?: Episode;
  /** Event time of the last `advance`. */
  t: number;
}

/**
 * Fires `burst` when a tag's posts over the last 60 s of event time depart from its baseline:
 * z-score at or above `zThreshold`, at least `minRatePerMinute` posts and `minAuthors` authors.
 * Evaluated on every released event, so it fires within seconds of event time of crossing, not
 * at the end of a minute plus the lateness. One flag per episode: the episode ends after
 * `calmMinutes` calm minutes, when the flag is updated once (revision 1, with its end and peak)
 * and the tag re-arms. A burst is not an accusation: organic news fires it as well.
 */
export class BurstDetector implements TagDetector {
  readonly name = 'burst';
  readonly #opts: BurstOptions;
  readonly #metrics: TagMetricsReader;
  readonly #state = new Map<string, BurstState>();
  /** Filled on every observed event (read before anything else asks for it). */
  readonly #inputs: BurstInputs = { ready: false, posts1: 0, posts5: 0, baselineMean: 0, baselineStd: 0, ageMinutes: 0 };
  #flags = 0;

  constructor(opts: BurstOptions, metrics: TagMetricsReader) {
    this.#opts = opts;
    this.#metrics = metrics;
  }

  get flagsFired(): number {
    return this.#flags;
  }

  /** The open episode of a tag, if any. */
  episode(tag: string): { since: number; flagId: string } | null {
    const e = this.#state.get(tag)?.e;
    return e === undefined ? null : { since: e.flag.windowStart, flagId: e.flag.flagId };
  }

  observe(event: TagEvent): Flag[] {
    const tag = event.tag;
    const now = event.post.ts;
    const st = this.#state.get(tag);
    if (st?.e !== undefined) return NO_FLAGS;
    const m = this.#metrics.burstInputs(tag, now, this.#inputs);
    if (m === undefined || !m.ready) return NO_FLAGS;
    const o = this.#opts;
    const sd = m.baselineStd;
    // Two windows: 60 s catches a sharp onset within a minute; 5 min catches a steadier climb
    // that never packs many posts into one minute. Counts over w minutes have sd·√w.
    const z1 = (m.posts1 - m.baselineMean) / sd;
    const z5 = (m.posts5 - 5 * m.baselineMean) / (sd * Math.sqrt(5));
    let window = 0;
    let z = 0;
    if (m.posts1 >= o.fastMinPosts && z1 >= o.zThreshold) {
      window = 1;
      z = z1;
    } else if (m.posts5 >= 5 * o.minRatePerMinute && z5 >= o.zThreshold) {
      window = 5;
      z = z5;
    } else {
      return NO_FLAGS;
    }
    if (this.#metrics.authorsSince(tag, now - window * MINUTE) < o.minAuthors) return NO_FLAGS;
    const view = this.#metrics.view(tag, now);
    if (view === undefined) return NO_FLAGS;
    const rate = window === 1 ? m.posts1 : m.posts5 / 5;
    const flag = this.#fire(view, now, z, rate, window);
    const threshold = Math.max(window === 1 ? o.fastMinPosts : o.minRatePerMinute, m.baselineMean + o.zThreshold * sd);
    this.#state.set(tag, { e: { flag, threshold, peak: rate, calm: 0, lastActive: now }, t: st?.t ?? now });
    this.#flags++;
    return [flag];
  }

  advance(tag: string, now: number, minute: TagMinute | undefined): Flag[] {
    let st = this.#state.get(tag);
    if (st === undefined) return NO_FLAGS;
    const elapsed = Math.max(1, Math.round((now - st.t) / MINUTE));
    st.t = now;
    const e = st.e;
    if (e === undefined) return NO_FLAGS;
    const posts = minute?.posts ?? 0;
    e.peak = Math.max(e.peak, posts);
    if (posts >= this.#opts.calmRatio * e.threshold) {
      e.calm = 0;
      e.lastActive = now;
      return NO_FLAGS;
    }
    e.calm += elapsed;
    if (e.calm < this.#opts.calmMinutes) return NO_FLAGS;
    // Calm long enough: the episode is over. Update its flag once with the span and peak, re-arm.
    st = { t: now };
    this.#state.set(tag, st);
    return [this.#close(e, now)];
  }

  snapshot(tag: string): unknown {
    const st = this.#state.get(tag);
    if (st === undefined) return undefined;
    // A copy: the checkpoint may be serialized later (queued in-process) while the episode goes on.
    const copy: BurstState = { ...st };
    if (copy.e !== undefined) copy.e = { ...copy.e };
    return copy;
  }

  restore(tag: string, state: unknown): void {
    if (state === undefined || state === null) return;
    this.#state.set(tag, structuredClone(state as BurstState));
  }

  evict(tag: string): void {
    this.#state.delete(tag);
  }

  /** Tags that had a burst: the map entry and state, plus the flag of an open episode with its evidence. */
  bytes(): number {
    let b = 0;
    for (const st of this.#state.values()) b += st.e === undefined ? 120 : 1_200;
    return b;
  }

  #fire(view: TagView, now: number, z: number, rate: number, window: number): Flag {
    const o = this.#opts;
    const sample = this.#metrics.recentSample(view.tag, o.maxEvidenceAuthors, o.maxEvidenceAuthors);
    const authors10 = view.rolling.find((r) => r.windowMinutes === 10)?.uniqueAuthors ?? 0;
    const base = view.velocity.baselineMean;
    const ratio = base > 0 ? rate / base : Number.POSITIVE_INFINITY;
    const parts = [`#${view.display}: ${fmt(rate)} posts/min${window === 1 ? '' : ' over 5 min'}`];
    if (view.isNew) parts.push(`a new tag (first post ${Math.max(1, Math.round((now - view.firstSeen) / MINUTE))} min earlier)`);
    else parts.push(`${ratio >= 10 ? fmt(ratio) : ratio.toFixed(1)}× its 6-hour baseline of ${base.toFixed(1)}/min`);
    parts.push(`${fmt(authors10)} authors in 10 min`, `${Math.round(view.repostShare * 100)}% reposts`);
    const signals: Record<string, number> = {
      rate,
      windowMinutes: window,
      zscore: z,
      baselineMean: base,
      baselineStd: view.velocity.baselineStd,
      velocity: view.velocity.velocity,
      acceleration: view.velocity.acceleration,
      authors10m: authors10,
      uniqueAuthors: view.uniqueAuthors,
      posts: view.posts,
      repostShare: view.repostShare,
      youngShare: view.youngShare,
      ageMinutes: (now - view.firstSeen) / MINUTE,
    };
    if (view.timeTo100Ms !== null) signals['timeTo100Ms'] = view.timeTo100Ms;
    const start = now - window * MINUTE;
    return {
      flagId: flagId(view.tag, FlagKinds.burst, start),
      tag: view.tag,
      kind: FlagKinds.burst,
      detectedAt: now,
      windowStart: start,
      windowEnd: now,
      score: z,
      authors: sample.authors,
      postIds: sample.postIds,
      signals,
      evidence: JSON.stringify({
        summary: parts.join(', '),
        rule:
          window === 1
            ? `posts in 60 s ≥ ${o.fastMinPosts}, z ≥ ${o.zThreshold}, authors ≥ ${o.minAuthors}`
            : `posts/min over 5 min ≥ ${o.minRatePerMinute}, z ≥ ${o.zThreshold}, authors ≥ ${o.minAuthors}`,
        firstPosters: view.firstPosters.slice(0, 5),
        coTags: view.coTags.slice(0, 5),
        rolling: view.rolling,
        cascades: view.cascades,
      }),
      revision: 0,
    };
  }

  #close(e: Episode, now: number): Flag {
    const f = e.flag;
    const minutes = Math.round((e.lastActive - f.windowStart) / MINUTE);
    const evidence = JSON.parse(f.evidence) as Record<string, unknown>;
    evidence['summary'] = `${String(evidence['summary'])}; episode over: peaked at ${fmt(e.peak)} posts/min, lasted ${minutes} min`;
    return {
      ...f,
      windowEnd: e.lastActive,
      detectedAt: now,
      signals: { ...f.signals, peakRate: e.peak, durationMinutes: minutes },
      evidence: JSON.stringify(evidence),
      revision: f.revision + 1,
    };
  }
}

function fmt(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}
