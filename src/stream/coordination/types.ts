/** What one account did on one tag, as far as the coordination signals need it. */
export interface AccountRecord {
  id: string;
  /** Account creation time, to the second. */
  createdTs: number | undefined;
  followers: number | undefined;
  firstTs: number;
  lastTs: number;
  /** Latest action times, oldest first (cadence of a push, coincidences of a pair). */
  times: number[];
  /** Latest reposts, oldest first: [reposted post key, time, others who reposted it in the interval before]. */
  reposts: Array<[string, number, number]>;
  /** Key of the account's latest post on the tag (evidence sample). */
  lastPost: string;
}

/** The signals that can implicate an account. */
export const SignalNames = {
  copypasta: 'copypasta',
  paraphrase: 'paraphrase',
  coActivity: 'co_activity',
  repostRing: 'repost_ring',
  swarm: 'repost_swarm',
  push: 'push',
} as const;

export type SignalName = (typeof SignalNames)[keyof typeof SignalNames];

/** One piece of evidence linking accounts: they are grouped together in one cluster. */
export interface EvidenceLink {
  signal: SignalName;
  accounts: readonly string[];
  /** Posts that show it. */
  posts: readonly string[];
  firstTs: number;
  lastTs: number;
  /** Signal-specific strength: near-duplicate posts, −log10 p of a pair, ring weight, share. */
  strength: number;
  /** Accounts whose posts were reposted by a ring (also members of the cluster). */
  sources?: readonly string[];
  /** Signal-specific figures for the evidence (median gap of a push, text sample…). */
  detail?: Record<string, number>;
  sampleText?: string;
}

/** A scored cluster of accounts linked by evidence. */
export interface ScoredCluster {
  accounts: string[];
  posts: string[];
  score: number;
  signals: Record<string, number>;
  firstTs: number;
  lastTs: number;
  /** Facts behind the summary sentence. */
  facts: ClusterFacts;
}

export interface ClusterFacts {
  accounts: number;
  youngShare: number;
  lowFollowerShare: number;
  createdCloseShare: number;
  copypastaTexts: number;
  copypastaPosts: number;
  copypastaAccounts: number;
  paraphraseAccounts: number;
  paraphrasePairs: number;
  coActivityPairs: number;
  ringPairs: number;
  ringSources: number;
  swarmAccounts: number;
  swarmPosts: number;
  pushAccounts: number;
  pushShare: number;
  pushMedianGapMs: number;
  /** The push was found by its accounts sharing one gap (shared cadence), not each keeping its own. */
  pushShared: boolean;
  spanMs: number;
  /** A few example near-duplicate texts (truncated). */
  sampleTexts: string[];
}
