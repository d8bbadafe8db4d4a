import { z } from 'zod';

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

export const VelocityOptionsSchema = z.object({
  /** Horizon of the short EWMA of posts per minute (the `velocity` column), in minutes. */
  shortHorizonMinutes: z.number().positive().default(3),
  /** Horizon of the long EWMA baseline (mean and variance of posts per minute), in minutes. */
  baselineHorizonMinutes: z.number().positive().default(360),
  /**
   * A minute far above the baseline enters the baseline clipped to `mean + clipSigmas·std`, so a
   * burst does not become its own baseline within minutes.
   */
  clipSigmas: z.number().positive().default(4),
});

export const BurstOptionsSchema = z.object({
  /** Z-score against the tag's baseline a burst needs (over the 1-minute or the 5-minute window). */
  zThreshold: z.number().positive().default(6),
  /** Slow path: average posts per minute over the last 5 minutes of event time. */
  minRatePerMinute: z.number().positive().default(5),
  /** Fast path: posts within the last 60 s of event time (fires within a minute of a sharp onset). */
  fastMinPosts: z.number().positive().default(20),
  /** Distinct authors within the window that fired (one account is not a burst). */
  minAuthors: z.number().int().min(1).default(8),
  /** The episode ends (and the flag re-arms) after this many consecutive calm minutes, in minutes. */
  calmMinutes: z.number().int().min(1).default(15),
  /** A minute is calm when its posts fall below this share of the per-minute rate that fired the flag. */
  calmRatio: z.number().positive().max(1).default(0.5),
  /** Authors and post ids kept as evidence on a flag. */
  maxEvidenceAuthors: z.number().int().min(0).default(20),
});

export const PriorOptionsSchema = z.object({
  /**
   * Learn the new-tag prior from the population (median first-hour posts of tags born in the last
   * `windowEpochs` epochs). When false, `defaultMeanPerMinute` is used throughout.
   */
  learn: z.boolean().default(true),
  /** Prior mean posts/min of a brand-new tag until enough tags have been seen. */
  defaultMeanPerMinute: z.number().positive().default(1 / 60),
  /** Length of one learning epoch, in ms of event time. */
  epochMs: z.number().int().min(MINUTE_MS).default(HOUR_MS),
  /** Epochs of births the prior is learned from. */
  windowEpochs: z.number().int().min(1).default(6),
  /** Births needed in the window before the learned value replaces the default. */
  minTags: z.number().int().min(1).default(50),
  /** Prior variance = mean × this (over-dispersion against Poisson). */
  dispersion: z.number().min(1).default(2),
});

export const SpreadOptionsSchema = z.object({
  /** First authors kept per tag ("patient zero" list). */
  firstPosters: z.number().int().min(0).default(10),
  /** Co-occurring tags reported; twice as many are tracked (space-saving summary). */
  coTags: z.number().int().min(0).default(10),
  /** Nodes kept per cascade; beyond it the cascade only counts its size. */
  maxCascadeNodes: z.number().int().min(2).default(2_000),
  /** Cascades tracked at once per tag (the least recently active is retired first). */
  maxCascades: z.number().int().min(1).default(32),
  /** A cascade with no new node for this long is retired into the cumulative figures, in ms. */
  cascadeIdleMs: z.number().int().min(MINUTE_MS).default(HOUR_MS),
});

export const AnalyzeOptionsSchema = z.object({
  /** A minute is final (and further posts for it are late) once the event-time clock is this far past its end, in ms. */
  allowedLatenessMs: z.number().int().min(0).default(2 * MINUTE_MS),
  /**
   * Events are handed to detectors in (time, post key) order once the clock is this far past
   * them, in ms. Disorder within this bound cannot change any output; it also delays detection.
   */
  reorderBoundMs: z.number().int().min(0).default(10_000),
  /**
   * Tags first seen this soon after the stream began were probably active before it: their
   * baseline starts from their own first minute instead of the new-tag prior, in ms.
   */
  warmupMs: z.number().int().min(0).default(20 * MINUTE_MS),
  /**
   * A partition silent for this long (no event at all) was not being watched (downtime, a replay
   * resumed later): its tags relearn their baseline from their own level, as at stream start,
   * instead of taking the silence as zeros and the return of ordinary traffic as bursts. In ms.
   */
  streamGapMs: z.number().int().min(MINUTE_MS).default(30 * MINUTE_MS),
  /** A tag with no event for this long is forgotten (its baseline too), in ms of event time. */
  idleEvictionMs: z.number().int().min(MINUTE_MS).default(6 * HOUR_MS),
  /** Tags ticked every minute (detectors' `advance` with no posts) for this long after their last event, in ms. */
  activeTickMs: z.number().int().min(0).default(15 * MINUTE_MS),
  /** Most tags held in memory; beyond it the least recently active is evicted. */
  maxLiveTags: z.number().int().min(1).default(250_000),
  /** Per-tag state is checkpointed on `analyze-state` this often, in ms of event time (0 = only on flush). */
  checkpointIntervalMs: z.number().int().min(0).default(10 * MINUTE_MS),
  /** Accounts younger than this at post time count as young, in ms. */
  youngAccountMs: z.number().int().min(0).default(30 * DAY_MS),
  /** Authors remembered exactly per tag (for "new author"); beyond it a Bloom filter takes over. */
  maxExactAuthors: z.number().int().min(16).default(65_536),
  velocity: VelocityOptionsSchema.default(VelocityOptionsSchema.parse({})),
  burst: BurstOptionsSchema.default(BurstOptionsSchema.parse({})),
  prior: PriorOptionsSchema.default(PriorOptionsSchema.parse({})),
  spread: SpreadOptionsSchema.default(SpreadOptionsSchema.parse({})),
});

export type AnalyzeOptions = z.output<typeof AnalyzeOptionsSchema>;
export type AnalyzeOptionsInput = z.input<typeof AnalyzeOptionsSchema>;
export type VelocityOptions = z.output<typeof VelocityOptionsSchema>;
export type BurstOptions = z.output<typeof BurstOptionsSchema>;
export type PriorOptions = z.output<typeof PriorOptionsSchema>;
export type SpreadOptions = z.output<typeof SpreadOptionsSchema>;

export const MINUTE = MINUTE_MS;
