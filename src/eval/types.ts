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
