import { z } from 'zod';
import type { PostInput } from '../model/index.ts';
import { CampaignStyles, HardCaseKinds, SimOptionsSchema, type CampaignStyle, type HardCaseKind } from './options.ts';
import { MINUTE_MS } from './types.ts';

const iso = z.iso.datetime({ offset: true });
const campaignStyleValues = Object.values(CampaignStyles) as [CampaignStyle, ...CampaignStyle[]];
const hardCaseKindValues = Object.values(HardCaseKinds) as [HardCaseKind, ...HardCaseKind[]];

export const TruthCampaignSchema = z.object({
  id: z.string(),
  /** Normalized tag the campaign pushes. */
  tag: z.string(),
  display: z.string(),
  style: z.enum(campaignStyleValues),
  /** `fresh`: the campaign launched the tag; `existing`: it pushed an organic tag. */
  target: z.enum(['fresh', 'existing']),
  /** First and last campaign post (event time). */
  start: iso,
  end: iso,
  /** Every account that wrote at least one campaign post (sources of a repost ring included). */
  members: z.array(z.string()),
  /** Repost rings: the accounts whose posts the ring amplifies (also in `members`). */
  sources: z.array(z.string()),
  postCount: z.number().int(),
  /** A sample of campaign post ids (the first ones). */
  postIds: z.array(z.string()),
  /** Parameters drawn for this campaign (cadence, sizes, edit rate…), for diagnosis. */
  params: z.record(z.string(), z.union([z.number(), z.string()])),
});

export const TruthHardCaseSchema = z.object({
  id: z.string(),
  tag: z.string(),
  display: z.string(),
  kind: z.enum(hardCaseKindValues),
  start: iso,
  end: iso,
  /** The lone spammer; the celebrity. Empty for crowd events. */
  authors: z.array(z.string()),
  /** Distinct accounts that posted in the event. */
  authorCount: z.number().int(),
  postCount: z.number().int(),
  postIds: z.array(z.string()),
});

export const TruthBurstSchema = z.object({
  tag: z.string(),
  /**
   * Take-off: in the first 5-minute window whose average rate reached `thresholdPerMin`, the first
   * minute that alone reached it (start of that minute). Measure detection latency from here.
   */
  onset: iso,
  /** The event's first post. */
  start: iso,
  kind: z.enum(['organic', 'campaign']),
  /** Id of the campaign or hard case. */
  ref: z.string(),
  /** Highest 5-minute average rate of the event's posts, per minute. */
  peakPerMin: z.number(),
  /** Expected organic rate of the tag without the event, per minute. */
  baselinePerMin: z.number(),
  thresholdPerMin: z.number(),
});

export const MacronleaksFiguresSchema = z.object({
  leakAt: iso,
  firstPostAt: iso,
  firstPostId: z.string(),
  repostsFirstMinute: z.number().int(),
  repostsFirstFiveMinutes: z.number().int(),
  tagPostsAfter3_5h: z.number().int(),
  tagPostsAfter13h: z.number().int(),
  tagAccounts: z.number().int(),
  botAccounts: z.number().int(),
  botAccountShare: z.number(),
  topAccountId: z.string(),
  topAccountPosts12h: z.number().int(),
  /** Share of English among the 20 most reposted #MacronLeaks posts. */
  topPostsEnglishShare: z.number(),
  scale: z.number(),
});

export const TruthSchema = z.object({
  version: z.literal(1),
  seed: z.number().int(),
  scenario: z.enum(['default', 'macronleaks']),
  platform: z.string(),
  start: iso,
  end: iso,
  options: SimOptionsSchema,
  stats: z.object({
    posts: z.number().int(),
    accounts: z.number().int(),
    originals: z.number().int(),
    reposts: z.number().int(),
    replies: z.number().int(),
    quotes: z.number().int(),
  }),
  campaigns: z.array(TruthCampaignSchema),
  hardCases: z.array(TruthHardCaseSchema),
  bursts: z.array(TruthBurstSchema),
  macronleaks: MacronleaksFiguresSchema.optional(),
});

export type Truth = z.output<typeof TruthSchema>;
export type TruthCampaign = z.output<typeof TruthCampaignSchema>;
export type TruthHardCase = z.output<typeof TruthHardCaseSchema>;
export type TruthBurst = z.output<typeof TruthBurstSchema>;
export type MacronleaksFigures = z.output<typeof MacronleaksFiguresSchema>;

/**
 * Follows one labelled event (a campaign or a hard case) as its posts are emitted: span, members,
 * samples and per-minute counts, so the truth describes what was generated, not what was planned.
 */
export class EventTracker {
  firstTs = Number.POSITIVE_INFINITY;
  lastTs = Number.NEGATIVE_INFINITY;
  count = 0;
  readonly authors = new Set<string>();
  readonly postIds: string[] = [];
  readonly minuteCounts = new Map<number, number>();
  /** Sees every post of the event (scenario statistics). */
  onAdd: ((post: PostInput, ts: number) => void) | undefined;

  constructor(
    readonly id: string,
    readonly tag: string,
    readonly display: string,
    /** Expected organic posts/min of the tag without this event (0 for a fresh tag). */
    readonly baselinePerMin: number,
    private readonly sampleSize: number,
  ) {}

  add(post: PostInput, ts: number): void {
    if (ts < this.firstTs) this.firstTs = ts;
    if (ts > this.lastTs) this.lastTs = ts;
    this.count++;
    this.authors.add(post.author.id);
    if (this.postIds.length < this.sampleSize) this.postIds.push(post.id);
    const minute = Math.floor(ts / MINUTE_MS) * MINUTE_MS;
    this.minuteCounts.set(minute, (this.minuteCounts.get(minute) ?? 0) + 1);
    this.onAdd?.(post, ts);
  }

  /** The burst entry when the event's peak 5-minute rate clears the threshold, else null. */
  burst(kind: 'organic' | 'campaign', minPerMin: number, baselineFactor: number): TruthBurst | null {
    if (this.count === 0) return null;
    const threshold = Math.max(minPerMin, baselineFactor * this.baselinePerMin);
    const first = Math.floor(this.firstTs / MINUTE_MS) * MINUTE_MS;
    const last = Math.floor(this.lastTs / MINUTE_MS) * MINUTE_MS;
    let peak = 0;
    let onset: number | null = null;
    let windowSum = 0;
    for (let m = first; m <= last; m += MINUTE_MS) {
      windowSum += this.minuteCounts.get(m) ?? 0;
      if (m - 5 * MINUTE_MS >= first) windowSum -= this.minuteCounts.get(m - 5 * MINUTE_MS) ?? 0;
      const rate = windowSum / 5;
      if (rate > peak) peak = rate;
      if (onset === null && rate >= threshold) {
        // The take-off minute: the first minute of that window that alone reaches the threshold
        // (one does: the window's busiest minute is at least its average).
        for (let k = Math.max(first, m - 4 * MINUTE_MS); k <= m; k += MINUTE_MS) {
          if ((this.minuteCounts.get(k) ?? 0) >= threshold) {
            onset = k;
            break;
          }
        }
      }
    }
    if (onset === null) return null;
    return {
      tag: this.tag,
      onset: new Date(onset).toISOString(),
      start: new Date(this.firstTs).toISOString(),
      kind,
      ref: this.id,
      peakPerMin: round(peak, 2),
      baselinePerMin: round(this.baselinePerMin, 3),
      thresholdPerMin: round(threshold, 3),
    };
  }

  spanIso(): { start: string; end: string } {
    const start = this.count === 0 ? 0 : this.firstTs;
    const end = this.count === 0 ? 0 : this.lastTs;
    return { start: new Date(start).toISOString(), end: new Date(end).toISOString() };
  }
}

export function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
