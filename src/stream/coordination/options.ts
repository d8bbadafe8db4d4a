import { z } from 'zod';

const ms = () => z.number().int().min(1);

/**
 * Original texts remembered per tag as MinHash signatures, shared by copy-pasta and paraphrase.
 * Each signature is 64 one-byte values (b-bit MinHash): 64 bytes per text in memory, ~90 characters
 * in a checkpoint.
 */
export const TextOptionsSchema = z.object({
  /** Signatures kept per tag (oldest dropped first); bounds memory and checkpoint size on a hot tag. */
  maxSignatures: z.number().int().min(16).default(400),
  /** Texts with fewer words than this (after stripping URLs, mentions and tags) are never compared. */
  minTokens: z.number().int().min(1).default(5),
});

/** Near-duplicate original texts posted by several accounts (MinHash + LSH). */
export const CopypastaOptionsSchema = z.object({
  /** Estimated Jaccard similarity (word unigrams + bigrams) at which two texts are near-duplicates. */
  similarity: z.number().gt(0).max(1).default(0.6),
  /** LSH over the signature: bands × rows = 64; the S-curve sits near (1/bands)^(1/rows). */
  bands: z.number().int().min(1).max(64).default(16),
  rows: z.number().int().min(1).max(16).default(4),
  /** Distinct accounts that must post one text for it to count as copy-pasta. */
  minAccounts: z.number().int().min(2).default(3),
  /** A near-duplicate group ends when nobody posted it for this long, in ms of event time. */
  windowMs: ms().default(30 * 60_000),
  /** Most recent entries kept per LSH bucket; bounds comparisons on a hot tag. */
  maxBucketEntries: z.number().int().min(1).default(24),
  /**
   * Share of the tag's actions (over the group's span) at which a near-duplicate group counts in
   * full; below, its weight falls in proportion. A stock phrase that hundreds in a crowd of
   * thousands type ("What a moment!") is not a campaign text that makes up much of a tag.
   */
  fullShare: z.number().gt(0).max(1).default(0.1),
  /**
   * A group of n accounts weighs 1 − e^(−n / accountScale) (times its share): with 3, three young
   * accounts posting one text that carries the tag already qualify, and so do four older ones.
   */
  accountScale: z.number().positive().default(3),
  /** Near-duplicate groups (texts posted at least twice) kept per tag, least recently posted dropped. */
  maxGroups: z.number().int().min(1).default(64),
  /** Authors remembered per near-duplicate group. */
  maxGroupAuthors: z.number().int().min(2).default(1_000),
});

/** Accounts whose texts share a skeleton (paraphrases), again and again. */
export const ParaphraseOptionsSchema = z.object({
  /** Lowest estimated Jaccard of two posts that counts as a paraphrase (the copy-pasta threshold is the highest). */
  similarity: z.number().gt(0).max(1).default(0.3),
  /** Loose LSH over the head of the signature: bands × rows values. */
  bands: z.number().int().min(1).max(64).default(16),
  rows: z.number().int().min(1).max(8).default(2),
  /**
   * Paraphrase evidence naming n accounts weighs 1 − e^(−n / accountScale): with 4, six accounts
   * of a network (or eight older ones) qualify.
   */
  accountScale: z.number().positive().default(4),
  /** Paraphrased post pairs before two accounts are tested. */
  minLinks: z.number().int().min(1).default(2),
  /**
   * Prior share of unrelated post pairs that look like paraphrases by chance (the null model of a
   * tag with no history). Each tag learns its own rate from its posts; see `priorComparisons`.
   */
  backgroundRate: z.number().gt(0).max(1).default(0.002),
  /** Weight of the prior in post-pair comparisons: the tag's own rate takes over after about this many. */
  priorComparisons: z.number().min(1).default(2_000),
  /** Horizon over which the tag's own rate is learned (exponential forgetting), in ms of event time. */
  backgroundHorizonMs: ms().default(6 * 3_600_000),
  /**
   * Epoch of the learned rate: a post's tallies are used once its epoch and the next are over
   * (after `backgroundLagMs` to twice that), so a campaign does not explain itself away, in ms.
   */
  backgroundLagMs: ms().default(30 * 60_000),
  /** Linked when the links are less likely than 10^-significance under the tag's rate. */
  significance: z.number().positive().default(3),
  maxBucketEntries: z.number().int().min(1).default(8),
  /** Account pairs kept per tag; pairs linked once are dropped before pairs linked again. */
  maxPairs: z.number().int().min(64).default(1_000),
  /** Posts are compared within this window, in ms. */
  windowMs: ms().default(3 * 3_600_000),
  pairTtlMs: ms().default(6 * 3_600_000),
  /**
   * First-episode evidence: one text that paraphrases `burstMinLinks` or more texts by other
   * accounts from the last `burstWindowMs`, when so many links among that many recent texts are
   * less likely than 10^-burstSignificance under the tag's rate, links its author to theirs. A
   * network posting one skeleton within minutes shows it at once; the pair test needs a second
   * episode. 0 links disables it.
   */
  burstMinLinks: z.number().int().min(0).default(3),
  burstWindowMs: ms().default(15 * 60_000),
  burstSignificance: z.number().positive().default(6),
  /**
   * Least share of the window's texts the links must reach: a crowd at a live event writes alike
   * (each text paraphrases a few percent of a hot tag's), a network's skeleton makes up much of
   * what the tag says.
   */
  burstMinShare: z.number().min(0).max(1).default(0.1),
  /** A burst counts as evidence for this long, in ms (pairs take over on the next episodes). */
  burstTtlMs: ms().default(60 * 60_000),
  /** Bursts remembered per tag (oldest dropped first). */
  maxBursts: z.number().int().min(1).default(64),
});

/** Pairs of accounts posting on the tag within seconds of each other, again and again. */
export const CoActivityOptionsSchema = z.object({
  /** Two actions within this interval coincide, in ms. */
  intervalMs: ms().default(15_000),
  /** Coincidences of a pair count once per slot of this length (distinct episodes), in ms. */
  slotMs: ms().default(5 * 60_000),
  /** Distinct slots with a coincidence before a pair is tested. */
  minCoincidences: z.number().int().min(2).default(3),
  /**
   * A pair is evidence when the chance of seeing at least that many coincidences under the null
   * model (independent accounts following the tag's own rate) is below 10^-significance.
   */
  significance: z.number().positive().default(4),
  /** Partners paired with one action at most; beyond, a consistent hash sample (never all pairs). */
  maxPartners: z.number().int().min(1).default(24),
  /** Recent actions scanned for partners (bounds a hot tag). */
  maxRecentActions: z.number().int().min(8).default(400),
  /** Pairs with enough coincidences kept per tag; least recently coinciding dropped first. */
  maxPairs: z.number().int().min(64).default(2_000),
  /** Coincidences older than this no longer count, and a pair unseen for this long is forgotten, in ms. */
  windowMs: ms().default(3 * 3_600_000),
});

/** The same accounts reposting the same sources within seconds, again and again. */
export const RepostRingOptionsSchema = z.object({
  /** Two reposts of one post within this interval coincide, in ms. */
  intervalMs: ms().default(30_000),
  /** Distinct reposted posts on which a pair must coincide. */
  minObjects: z.number().int().min(2).default(2),
  /**
   * Sum over coinciding objects of 1 / ln(e + co-reposters at that moment): a storm of thousands
   * weighs little per object, a ring of dozens weighs more.
   */
  minWeight: z.number().positive().default(0.45),
  maxPartners: z.number().int().min(1).default(24),
  /** Reposted posts with a repost in the last `intervalMs` tracked per tag (least recent dropped). */
  maxRecentParents: z.number().int().min(4).default(256),
  /** Recent reposts kept per reposted post. */
  maxRepostsPerParent: z.number().int().min(4).default(100),
  /** Original posts whose author is remembered (to name a ring's sources). */
  maxSources: z.number().int().min(4).default(512),
  maxPairs: z.number().int().min(64).default(3_000),
  pairTtlMs: ms().default(3 * 3_600_000),
});

/**
 * First-object evidence of a ring: many accounts reposting one post within a minute or two. On
 * its own this is what any popular post looks like, so it only counts when the accounts' traits
 * (young, few followers, created together) corroborate it; it lets a ring be flagged at its first
 * source post instead of its second, and the flag is revised as ring pairs confirm it.
 */
export const SwarmOptionsSchema = z.object({
  enabled: z.boolean().default(true),
  /** Distinct reposters of one post within `windowMs` of its first repost. */
  minAccounts: z.number().int().min(3).default(8),
  windowMs: ms().default(90_000),
  /** Lowest trait score (mean of young, low-follower and created-together shares) of the reposters. */
  minTraitScore: z.number().min(0).max(1).default(0.5),
  /**
   * A swarm also counts without the traits when it is closed: over its window, the second half
   * brought at most this share of the first half's reposts (a fixed set answering a signal, not an
   * audience finding a popular post over minutes). 0 disables it.
   */
  closedMaxLateShare: z.number().min(0).max(1).default(0.5),
  /**
   * Reposters in its first half that a closed swarm needs. A news crowd's fast reposts of one
   * outlet's post reached 8–9 within seconds and then stopped (five times over 60 simulated runs),
   * while rings' first closed swarms had 19–97 reposters.
   */
  closedMinAccounts: z.number().int().min(3).default(12),
  /** Reposters remembered per swarm. */
  maxAccounts: z.number().int().min(3).default(64),
  /** Swarms tracked per tag (least recently started dropped). */
  maxSwarms: z.number().int().min(1).default(32),
  /** A swarm counts as evidence for this long after it started, in ms. */
  ttlMs: ms().default(30 * 60_000),
});

/** A few accounts producing much of a tag at machine-regular cadence. */
export const PushOptionsSchema = z.object({
  /** Posts by an account in the window before its cadence is judged. */
  minPosts: z.number().int().min(3).default(4),
  /** Highest coefficient of variation of inter-post times that counts as machine-regular. */
  maxCv: z.number().positive().default(0.3),
  /** Share of the tag's posts in the window that the regular accounts together must reach. */
  minShare: z.number().gt(0).max(1).default(0.15),
  /**
   * Fast path: an account with only `fastMinPosts` posts counts when its gaps are this regular
   * (CV ≤ `fastMaxCv`), provided the regular accounts together make up `fastMinShare` of the tag:
   * two gaps say little about one person, a handful of near-identical cadences carrying the tag say a lot.
   */
  fastMinPosts: z.number().int().min(3).default(3),
  fastMaxCv: z.number().positive().default(0.08),
  fastMinShare: z.number().gt(0).max(1).default(0.25),
  /**
   * Shared cadence: `sharedMinAccounts` accounts with two posts or more whose gaps agree (longest /
   * shortest mean gap ≤ `sharedMaxGapRatio`, each ≤ `sharedMaxGapMs`) count before any of them has
   * shown a cadence of its own: one gap says nothing about one account, the same gap repeated by
   * several accounts does — unless they all reacted to the same moments (a live event's viewers
   * share their gaps too), so their first posts must spread over at least `sharedMinSpread` of the
   * gap unless one of them has already repeated its gap. An account with two gaps or more joins
   * only when they are regular (CV ≤ `sharedMaxCv`).
   * The set must carry `sharedMinShare` of the tag's actions since the set's first post.
   */
  sharedMinAccounts: z.number().int().min(3).default(4),
  sharedMaxGapRatio: z.number().min(1).default(1.5),
  sharedMaxGapMs: ms().default(10 * 60_000),
  sharedMaxCv: z.number().positive().default(0.15),
  sharedMinSpread: z.number().min(0).max(1).default(0.5),
  sharedMinShare: z.number().gt(0).max(1).default(0.25),
  /** At most this many accounts: a push is a small set. */
  maxAccounts: z.number().int().min(2).default(60),
  /** Window over which share and cadence are measured, in ms. */
  windowMs: ms().default(30 * 60_000),
});

/** Account traits weigh a cluster's score; they never flag on their own. */
export const TraitOptionsSchema = z.object({
  /** An account younger than this at post time is young, in ms. */
  youngAgeMs: ms().default(30 * 86_400_000),
  /** Fewer followers than this is low. */
  lowFollowers: z.number().int().min(0).default(50),
  /** Accounts created within this span of each other were created close together, in ms. */
  createdCloseMs: ms().default(7 * 86_400_000),
  /**
   * A cluster's score is its evidence × (floor + (1 − floor) × trait score): established,
   * well-followed accounts with the same evidence score lower, never zero.
   */
  weightFloor: z.number().min(0).max(1).default(0.6),
});

export const CoordinationOptionsSchema = z.object({
  enabled: z.boolean().default(true),
  texts: TextOptionsSchema.default(TextOptionsSchema.parse({})),
  copypasta: CopypastaOptionsSchema.default(CopypastaOptionsSchema.parse({})),
  paraphrase: ParaphraseOptionsSchema.default(ParaphraseOptionsSchema.parse({})),
  coActivity: CoActivityOptionsSchema.default(CoActivityOptionsSchema.parse({})),
  repostRing: RepostRingOptionsSchema.default(RepostRingOptionsSchema.parse({})),
  swarm: SwarmOptionsSchema.default(SwarmOptionsSchema.parse({})),
  push: PushOptionsSchema.default(PushOptionsSchema.parse({})),
  traits: TraitOptionsSchema.default(TraitOptionsSchema.parse({})),
  /** Clusters are evaluated at most once per this much event time (and only after new events), in ms. */
  evaluateEveryMs: ms().default(10_000),
  /**
   * Accounts named by the evidence links (summed over links) that one evaluation handles at the
   * base cadence; a tag with more is evaluated proportionally less often, so a hot tag's
   * clustering stays a bounded share of the work (its flag is revised a little less often).
   */
  evaluateBudget: z.number().int().min(1).default(500),
  /** Smallest cluster flagged: one account is never coordination. */
  minClusterSize: z.number().int().min(2).default(3),
  /**
   * Lowest cluster score (0..1) flagged. Organic false positives and the one hard case flagged on
   * 30 unseen seeds all scored 0.50–0.56 (a handful of established accounts with a few paraphrase
   * pairs, a news post's first reposts); every campaign's flag reached 0.64 or more on 30 others.
   */
  minScore: z.number().min(0).max(1).default(0.55),
  /** An episode's flag is updated when its accounts grow by this fraction… */
  updateGrowth: z.number().positive().default(0.1),
  /** …or its score moves by this much… */
  updateScoreDelta: z.number().positive().default(0.1),
  /** …but no more often than this, in ms of event time. */
  minUpdateIntervalMs: ms().default(60_000),
  /** With no qualifying cluster for this long the episode ends; the next flag is a new episode, in ms. */
  episodeGapMs: ms().default(60 * 60_000),
  /** A tag checkpoint whose JSON is longer than this is stored deflated (base64), in characters. */
  checkpointPackChars: z.number().int().min(0).default(16_384),
  /** Accounts tracked per tag (least recently active dropped). */
  maxAccounts: z.number().int().min(16).default(1_500),
  /** Action times remembered per account (cadence of a push, coincidences of a pair). */
  historySize: z.number().int().min(4).max(256).default(12),
  /** Reposts remembered per account (objects a ring pair shares). */
  repostHistorySize: z.number().int().min(2).max(64).default(5),
  /** Authors listed in one flag at most, and remembered per episode (the evidence says how many there were). */
  maxFlagAuthors: z.number().int().min(1).default(1_000),
  /** Sample posts listed in one flag. */
  maxFlagPosts: z.number().int().min(1).default(25),
  /** Emit `spam` flags for a lone account pushing a tag at machine cadence. */
  emitSpam: z.boolean().default(true),
});

export type CoordinationOptions = z.output<typeof CoordinationOptionsSchema>;
export type CoordinationOptionsInput = z.input<typeof CoordinationOptionsSchema>;
export type TextOptions = z.output<typeof TextOptionsSchema>;
export type CopypastaOptions = z.output<typeof CopypastaOptionsSchema>;
export type ParaphraseOptions = z.output<typeof ParaphraseOptionsSchema>;
export type CoActivityOptions = z.output<typeof CoActivityOptionsSchema>;
export type RepostRingOptions = z.output<typeof RepostRingOptionsSchema>;
export type SwarmOptions = z.output<typeof SwarmOptionsSchema>;
export type PushOptions = z.output<typeof PushOptionsSchema>;
export type TraitOptions = z.output<typeof TraitOptionsSchema>;
