import type { EvalThresholds } from './options.ts';

/** What the scoring needs of a flag (a `flags` row read with final = 1: its latest revision). */
export interface EvalFlag {
  flagId: string;
  tag: string;
  kind: string;
  /** Event time of the latest revision. */
  detectedAt: number;
  /** Event time the flag first fired (revision 0); `detectedAt` when the flag does not say. */
  firstDetectedAt: number;
  authors: readonly string[];
  revision: number;
}

/** The labels the scoring reads from the simulator's truth file (a subset of its schema). */
export interface EvalTruth {
  seed?: number;
  campaigns: ReadonlyArray<{ id: string; tag: string; style: string; start: string; end: string; members: readonly string[] }>;
  hardCases: ReadonlyArray<{ id: string; tag: string; kind: string; start: string; end: string }>;
}

export interface CampaignResult {
  id: string;
  tag: string;
  style: string;
  members: number;
  detected: boolean;
  /** Seconds of event time from the campaign's first post to the first matching flag. */
  latencySec: number | null;
  flagged: number;
  /** Flagged accounts that are members of this campaign. */
  truePositives: number;
  precision: number;
  recall: number;
  f1: number;
  flagIds: string[];
}

export interface HardCaseResult {
  id: string;
  tag: string;
  kind: string;
  coordinatedFlags: number;
  spamFlags: number;
}

export interface EvalReport {
  seed: number | null;
  campaigns: CampaignResult[];
  hardCases: HardCaseResult[];
  summary: {
    campaigns: number;
    detected: number;
    campaignRecall: number;
    flaggedTags: number;
    truePositiveTags: number;
    falsePositiveTags: string[];
    tagPrecision: number;
    /** Means over all campaigns (an undetected campaign counts 0). */
    accountPrecision: number;
    accountRecall: number;
    accountF1: number;
    latencyMedianSec: number | null;
    latencyP90Sec: number | null;
    /** Hard cases with at least one `coordinated` flag on their tag during them. */
    hardCaseFalsePositives: number;
    coordinatedFlags: number;
    spamFlags: number;
  };
}

/** The figures the CI floors (`EvalThresholds`) are checked against: one report's summary or a pooled one. */
export interface ThresholdFigures {
  campaignRecall: number;
  tagPrecision: number;
  accountF1: number;
  latencyMedianSec: number | null;
  hardCaseFalsePositives: number;
}

/** The targets, each checked on its own: one per field of `EvalThresholds`. */
export type EvalTargetName = 'recall' | 'precision' | 'f1' | 'latency' | 'hardFp';

/** One seed's line of a pooled report (its report's summary, trimmed). */
export interface PooledSeedRow {
  seed: number | null;
  campaigns: number;
  detected: number;
  campaignRecall: number;
  tagPrecision: number;
  accountF1: number;
  latencyMedianSec: number | null;
  hardCases: number;
  hardCaseFalsePositives: number;
  falsePositiveTags: string[];
  /** Whether this seed alone holds each target (only targets that were set). */
  holds: Partial<Record<EvalTargetName, boolean>>;
}

/**
 * Several reports (one per seed) pooled: campaigns, tags and hard cases are counted per seed and
 * summed, never merged across seeds, since one tag name means different things in two seeds.
 */
export interface PooledReport {
  seeds: Array<number | null>;
  /** The targets the per-seed `holds` and `latencyWithinBound` were checked against. */
  targets: EvalThresholds;
  rows: PooledSeedRow[];
  summary: ThresholdFigures & {
    seeds: number;
    campaigns: number;
    detected: number;
    flaggedTags: number;
    truePositiveTags: number;
    /** Distinct false-positive tags summed over seeds. */
    falsePositiveTags: number;
    /** Means over all campaigns of all seeds (an undetected campaign counts 0), as in one report. */
    accountPrecision: number;
    accountRecall: number;
    /** Nearest-rank median and p90 over every detected campaign of every seed. */
    latencyP90Sec: number | null;
    /** Detected campaigns whose latency is at most `targets.maxLatencySec` (null without that target). */
    latencyWithinBound: number | null;
    hardCases: number;
    coordinatedFlags: number;
    spamFlags: number;
    /** Seeds on which each target holds (only targets that were set). */
    seedsHolding: Partial<Record<EvalTargetName, number>>;
  };
}
