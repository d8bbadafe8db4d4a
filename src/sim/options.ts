import { z } from 'zod';

/** A `[min, max]` range from which the simulator draws a value per seed (or per event). */
function range(min: number, max: number, floor = 0) {
  return z
    .tuple([z.number().min(floor), z.number().min(floor)])
    .refine(([lo, hi]) => lo <= hi, { message: 'range min must not exceed max' })
    .default([min, max]);
}

function share(value: number): z.ZodDefault<z.ZodNumber> {
  return z.number().min(0).max(1).default(value);
}

export const SimScenarios = { default: 'default', macronleaks: 'macronleaks' } as const;
export type SimScenario = (typeof SimScenarios)[keyof typeof SimScenarios];

export const SimLanguages = ['en', 'es', 'fr', 'pt', 'de', 'it', 'ja', 'ar', 'ru', 'tr', 'ko'] as const;
export type SimLanguage = (typeof SimLanguages)[number];

export const CampaignStyles = {
  copypasta: 'copypasta',
  repostRing: 'repost_ring',
  hyperactive: 'hyperactive',
  paraphrase: 'paraphrase',
} as const;
export type CampaignStyle = (typeof CampaignStyles)[keyof typeof CampaignStyles];
const campaignStyleValues = Object.values(CampaignStyles) as [CampaignStyle, ...CampaignStyle[]];

export const HardCaseKinds = {
  breakingNews: 'breaking_news',
  celebrityRepost: 'celebrity_repost',
  liveEvent: 'live_event',
  loneSpammer: 'lone_spammer',
} as const;
export type HardCaseKind = (typeof HardCaseKinds)[keyof typeof HardCaseKinds];

export const BackgroundOptionsSchema = z.object({
  /** Accounts in the organic population; 0 derives it from the rate (rate/min × 200, at least 2,000). */
  accounts: z.number().int().min(0).max(5_000_000).default(0),
  /** Distinct organic tags, ranked by Zipf popularity. */
  tagVocabulary: z.number().int().min(50).max(200_000).default(4_000),
  /** Zipf exponent of tag popularity (rank r has weight r^-s). */
  zipfExponent: z.number().min(0.5).max(2).default(1.05),
  /** Pareto shape of per-account activity: lower is more skewed (a few accounts post a lot). */
  activityParetoAlpha: z.number().min(0.6).max(5).default(1.15),
  /** Relative swing of the diurnal rate curve around its mean (0 = flat). */
  diurnalAmplitude: z.number().min(0).max(0.95).default(0.5),
  /** Hour of the day (UTC, fractional) at which the organic rate peaks. */
  peakHourUtc: z.number().min(0).max(24).default(17),
  repostShare: share(0.3),
  replyShare: share(0.1),
  quoteShare: share(0.05),
  /** Relative frequency of 0, 1, 2 and 3 tags on an original post. */
  tagCountWeights: z.tuple([z.number().min(0), z.number().min(0), z.number().min(0), z.number().min(0)]).default([0.3, 0.42, 0.2, 0.08]),
  /** Share of tagged posts whose tags come in the `tags` field rather than as `#tag` in the text. */
  tagsFieldShare: share(0.08),
  urlShare: share(0.06),
  mentionShare: share(0.12),
  emojiShare: share(0.2),
  /** Language mix of the organic accounts (relative weights). */
  languages: z
    .partialRecord(z.enum(SimLanguages), z.number().min(0))
    .default({ en: 0.42, es: 0.12, fr: 0.09, pt: 0.08, de: 0.06, it: 0.04, ja: 0.07, ar: 0.04, ru: 0.03, tr: 0.03, ko: 0.02 }),
});

export const HardCasesOptionsSchema = z.object({
  breakingNews: z
    .object({
      count: z.number().int().min(0).max(10).default(1),
      posts: range(1_500, 5_000, 1),
      /** Time from first post to the end of the story's tail, in minutes. */
      durationMin: range(60, 150, 1),
      /** Minutes for the rate to climb to its peak. */
      riseMin: range(3, 12, 0.1),
      repostShare: range(0.3, 0.5),
    })
    .prefault({}),
  celebrityRepost: z
    .object({
      count: z.number().int().min(0).max(10).default(1),
      reposts: range(1_000, 4_000, 1),
      /** Median delay between the celebrity's post and a repost, in minutes. */
      medianDelayMin: range(1.5, 5, 0.1),
      followers: range(1_000_000, 30_000_000, 1),
    })
    .prefault({}),
  liveEvent: z
    .object({
      count: z.number().int().min(0).max(10).default(1),
      posts: range(1_500, 4_000, 1),
      durationMin: range(90, 150, 1),
      /** Minutes of anticipation before the scheduled start, at a low rate. */
      leadInMin: range(15, 30, 0),
    })
    .prefault({}),
  loneSpammer: z
    .object({
      count: z.number().int().min(0).max(10).default(1),
      /** Mean seconds between the spammer's posts. */
      intervalSec: range(15, 60, 1),
      durationMin: range(60, 300, 1),
    })
    .prefault({}),
});

export const CampaignsOptionsSchema = z.object({
  /** Campaigns per simulation, drawn from this range (fewer when the span is too short to host them). */
  count: range(4, 7),
  styles: z.array(z.enum(campaignStyleValues)).min(1).default(campaignStyleValues),
  /** Cycle through `styles` before drawing at random, so every style appears when count ≥ styles. */
  ensureEachStyle: z.boolean().default(true),
  /** Share of campaigns that launch a fresh tag; the rest push an existing organic tag. */
  freshTagShare: share(0.6),
  /** Organic posting activity of campaign members (other tags, replies…), relative to the mean organic account. */
  organicActivity: range(0.2, 1.5),
  copypasta: z
    .object({
      members: range(25, 250, 2),
      /** Share of members created within weeks of the campaign; the rest are months old. */
      youngShare: range(0.6, 1),
      /** Days over which the young members were created (batch registration). */
      creationSpreadDays: range(1, 20, 0.1),
      durationMin: range(20, 180, 1),
      /** Waves of posting; members post around each wave's time. */
      waves: range(1, 6, 1),
      /** Spread of a wave: median seconds between the wave's start and a member's post. */
      waveSpreadSec: range(20, 600, 1),
      /** Share of members taking part in each wave. */
      participation: range(0.4, 0.9, 0.01),
      /** Distinct base texts the members copy. */
      templates: range(1, 3, 1),
      /** Expected word-level edits (swap, drop, insert) per copy. */
      editRate: range(0, 1.5),
    })
    .prefault({}),
  repostRing: z
    .object({
      members: range(15, 120, 2),
      /** Source accounts whose posts the ring amplifies. */
      seeds: range(1, 4, 1),
      /** Posts by the sources that the ring reposts. */
      seedPosts: range(5, 20, 1),
      durationMin: range(30, 360, 1),
      /** Share of the ring reposting each source post. */
      participation: range(0.5, 0.95, 0.01),
      /** Median seconds between a source post and a ring member's repost. */
      delayMedianSec: range(3, 40, 0.5),
      youngShare: range(0.2, 1),
    })
    .prefault({}),
  hyperactive: z
    .object({
      accounts: range(3, 8, 2),
      /** Mean seconds between one account's posts. */
      intervalSec: range(45, 240, 5),
      /** Relative jitter of the interval: machine-regular cadence is close to 0. */
      jitter: range(0.01, 0.15),
      durationMin: range(60, 720, 1),
      youngShare: range(0, 1),
      /** Distinct texts the accounts rotate through. */
      textVariants: range(3, 12, 1),
    })
    .prefault({}),
  paraphrase: z
    .object({
      members: range(20, 100, 2),
      durationMin: range(60, 480, 1),
      /** Episodes in which a part of the network posts within a few minutes. */
      episodes: range(4, 12, 1),
      /** Minutes over which one episode's posts are spread (jitter). */
      episodeSpreadMin: range(2, 15, 0.5),
      participation: range(0.4, 0.85, 0.01),
      youngShare: range(0.1, 0.5),
      /** Share of members' posts that are reposts of another member's paraphrase. */
      repostShare: range(0, 0.3),
    })
    .prefault({}),
});

export const TruthOptionsSchema = z.object({
  /** An event counts as a burst (`bursts[]`) when its peak 5-minute rate reaches this many posts/min… */
  burstMinPerMin: z.number().min(0).default(5),
  /** …and this multiple of the tag's expected organic rate. */
  burstBaselineFactor: z.number().min(1).default(3),
  /** Post ids kept per campaign / hard case as evidence samples. */
  samplePostIds: z.number().int().min(0).max(10_000).default(50),
});

export const MacronleaksOptionsSchema = z.object({
  /** Share of the accounts posting the tag that are bots (published estimate: about 18%). */
  botShare: share(0.18),
  /** Share of the tag's posts written by bots (apart from the hyperactive accounts). */
  botPostShare: share(0.35),
  /** Posts of the most active account over 12 hours (published: 486); not scaled. */
  topAccountPosts: z.number().int().min(0).max(10_000).default(486),
});

export const SimOptionsSchema = z.object({
  seed: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  scenario: z.enum(['default', 'macronleaks']).default('default'),
  /** Start of the simulated span (ISO); default 2024-05-06T00:00Z, or 2017-05-05T16:00Z for macronleaks. */
  start: z.iso.datetime({ offset: true }).optional(),
  /** Length of the simulated span, in hours (default 2; 16 for macronleaks). */
  hours: z.number().positive().max(24 * 60).optional(),
  /** Mean organic rate, posts per minute (default 200; 400 × scale for macronleaks). */
  ratePerMin: z.number().min(0).max(1_000_000).optional(),
  /** Volume factor of the macronleaks scenario (1 = the published figures). */
  scale: z.number().positive().max(20).default(1),
  platform: z.string().min(1).max(64).default('sim'),
  background: BackgroundOptionsSchema.prefault({}),
  hardCases: HardCasesOptionsSchema.prefault({}),
  campaigns: CampaignsOptionsSchema.prefault({}),
  truth: TruthOptionsSchema.prefault({}),
  macronleaks: MacronleaksOptionsSchema.prefault({}),
});

export type SimOptionsInput = z.input<typeof SimOptionsSchema>;
export type SimOptions = z.output<typeof SimOptionsSchema>;
export type BackgroundOptions = SimOptions['background'];
export type HardCasesOptions = SimOptions['hardCases'];
export type CampaignsOptions = SimOptions['campaigns'];

/** Options with the scenario's defaults filled in: what a simulation actually ran with. */
export type ResolvedSimOptions = Omit<SimOptions, 'start' | 'hours' | 'ratePerMin'> & {
  start: string;
  hours: number;
  ratePerMin: number;
};

const SCENARIO_DEFAULTS: Record<SimScenario, { start: string; hours: number; ratePerMin: (scale: number) => number }> = {
  default: { start: '2024-05-06T00:00:00.000Z', hours: 2, ratePerMin: () => 200 },
  macronleaks: { start: '2017-05-05T16:00:00.000Z', hours: 16, ratePerMin: (scale) => 400 * scale },
};

export function resolveSimOptions(input: SimOptionsInput): ResolvedSimOptions {
  const parsed = SimOptionsSchema.parse(input);
  const defaults = SCENARIO_DEFAULTS[parsed.scenario];
  return {
    ...parsed,
    start: new Date(parsed.start ?? defaults.start).toISOString(),
    hours: parsed.hours ?? defaults.hours,
    ratePerMin: parsed.ratePerMin ?? defaults.ratePerMin(parsed.scale),
  };
}
