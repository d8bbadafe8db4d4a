import type { AccountBook } from './account-book.ts';
import type { TraitOptions } from './options.ts';
import { SignalNames, type ClusterFacts, type EvidenceLink, type ScoredCluster } from './types.ts';

/** Union–find over account ids, path-halving; deterministic for a given link order. */
class AccountUnion {
  readonly #parent = new Map<string, string>();

  add(id: string): void {
    if (!this.#parent.has(id)) this.#parent.set(id, id);
  }

  find(id: string): string {
    let node = id;
    for (;;) {
      const parent = this.#parent.get(node) ?? node;
      if (parent === node) return node;
      const grand = this.#parent.get(parent) ?? parent;
      this.#parent.set(node, grand);
      node = grand;
    }
  }

  union(a: string, b: string): void {
    const ra = this.find(a);
    const rb = this.find(b);
    // The smaller id becomes the root, so the result does not depend on link order.
    if (ra < rb) this.#parent.set(rb, ra);
    else if (rb < ra) this.#parent.set(ra, rb);
  }

  ids(): IterableIterator<string> {
    return this.#parent.keys();
  }
}

/** How evidence weighs: near-duplicate groups by `fullShare` and `accountScale`, paraphrase by `accountScale`. */
export interface ClusterWeights {
  copypasta: { fullShare: number; accountScale: number };
  paraphrase: { accountScale: number };
}

interface ClusterAccumulator {
  accounts: Set<string>;
  links: EvidenceLink[];
}

/**
 * Groups accounts linked by any evidence into connected components and scores each: evidence
 * strength from the signals present, weighted by the members' traits.
 */
export function buildClusters(links: readonly EvidenceLink[], book: AccountBook, traits: TraitOptions, weights: ClusterWeights): ScoredCluster[] {
  // Most evaluations of most tags find no evidence: skip the union and the maps it would build.
  if (links.length === 0) return [];
  const union = new AccountUnion();
  for (const link of links) {
    const first = firstMember(link);
    if (first === undefined) continue;
    // The link's accounts, then its sources (walked in place: no joined copy per link).
    for (const id of link.accounts) {
      union.add(id);
      union.union(first, id);
    }
    if (link.sources !== undefined) {
      for (const id of link.sources) {
        union.add(id);
        union.union(first, id);
      }
    }
  }
  const byRoot = new Map<string, ClusterAccumulator>();
  for (const id of union.ids()) {
    const root = union.find(id);
    let acc = byRoot.get(root);
    if (acc === undefined) {
      acc = { accounts: new Set(), links: [] };
      byRoot.set(root, acc);
    }
    acc.accounts.add(id);
  }
  for (const link of links) {
    const first = firstMember(link);
    if (first !== undefined) byRoot.get(union.find(first))?.links.push(link);
  }
  const clusters: ScoredCluster[] = [];
  for (const acc of byRoot.values()) clusters.push(scoreCluster(acc, book, traits, weights));
  clusters.sort((x, y) => y.score - x.score || y.accounts.length - x.accounts.length || compare(x.accounts[0], y.accounts[0]));
  return clusters;
}

/** The first of a link's accounts followed by its sources (the member every other joins). */
function firstMember(link: EvidenceLink): string | undefined {
  return link.accounts.length > 0 ? link.accounts[0] : link.sources?.[0];
}

function scoreCluster(acc: ClusterAccumulator, book: AccountBook, traits: TraitOptions, weights: ClusterWeights): ScoredCluster {
  const copypasta = weights.copypasta;
  const paraphraseAccountScale = weights.paraphrase.accountScale;
  const accounts = [...acc.accounts].sort(compare);
  const implicated = new SignalTally();
  let swarmPosts = 0;
  const posts: string[] = [];
  const seenPosts = new Set<string>();
  const sampleTexts: string[] = [];
  let firstTs = Infinity;
  let lastTs = -Infinity;
  let copypastaTexts = 0;
  let copypastaPosts = 0;
  let coActivityPairs = 0;
  let paraphrasePairs = 0;
  let ringPairs = 0;
  let pushShare = 0;
  let pushMedianGapMs = 0;
  let pushShared = false;
  let maxSurprise = 0;
  // Each near-duplicate group weighs by its accounts and by how much of the tag it makes up.
  let copypastaMiss = 1;
  for (const link of acc.links) {
    firstTs = Math.min(firstTs, link.firstTs);
    lastTs = Math.max(lastTs, link.lastTs);
    for (const post of link.posts) {
      if (!seenPosts.has(post)) {
        seenPosts.add(post);
        posts.push(post);
      }
    }
    switch (link.signal) {
      case SignalNames.copypasta:
        copypastaTexts++;
        copypastaPosts += link.strength;
        copypastaMiss *= 1 - (1 - Math.exp(-link.accounts.length / copypasta.accountScale)) * Math.min(1, (link.detail?.['share'] ?? 1) / copypasta.fullShare);
        implicated.add(link.accounts, Tally.copypasta);
        if (link.sampleText !== undefined && sampleTexts.length < 3) sampleTexts.push(link.sampleText);
        break;
      case SignalNames.paraphrase:
        paraphrasePairs++;
        implicated.add(link.accounts, Tally.paraphrase);
        break;
      case SignalNames.coActivity:
        coActivityPairs++;
        maxSurprise = Math.max(maxSurprise, link.strength);
        implicated.add(link.accounts, Tally.coActivity);
        break;
      case SignalNames.repostRing:
        ringPairs++;
        implicated.add(link.accounts, Tally.ring);
        implicated.add(link.sources, Tally.source);
        break;
      case SignalNames.swarm:
        swarmPosts++;
        implicated.add(link.accounts, Tally.swarm);
        implicated.add(link.sources, Tally.source);
        break;
      case SignalNames.push:
        pushShare = Math.max(pushShare, link.strength);
        pushMedianGapMs = link.detail?.['medianGapMs'] ?? 0;
        pushShared = link.detail?.['shared'] === 1;
        implicated.add(link.accounts, Tally.push);
        break;
    }
  }
  const traitFacts = accountTraits(accounts, book, traits);
  const strengths = {
    copypasta: implicated.count(Tally.copypasta) >= 2 ? 1 - copypastaMiss : 0,
    paraphrase: implicated.count(Tally.paraphrase) >= 2 ? 1 - Math.exp(-implicated.count(Tally.paraphrase) / paraphraseAccountScale) : 0,
    co_activity: implicated.count(Tally.coActivity) >= 2 ? 1 - Math.exp(-implicated.count(Tally.coActivity) / 3) : 0,
    repost_ring: implicated.count(Tally.ring) >= 2 ? 1 - Math.exp(-implicated.count(Tally.ring) / 3) : 0,
    repost_swarm: implicated.count(Tally.swarm) >= 2 ? 1 - Math.exp(-implicated.count(Tally.swarm) / 6) : 0,
    push: implicated.count(Tally.push) >= 2 ? 0.6 + 0.4 * Math.min(1, pushShare / 0.5) : 0,
  };
  const evidence = 1 - Object.values(strengths).reduce((p, s) => p * (1 - s), 1);
  const weight = traits.weightFloor + (1 - traits.weightFloor) * traitFacts.traitScore;
  const score = round(evidence * weight);
  const facts: ClusterFacts = {
    accounts: accounts.length,
    youngShare: traitFacts.young ?? 0,
    lowFollowerShare: traitFacts.lowFollowers ?? 0,
    createdCloseShare: traitFacts.createdClose ?? 0,
    copypastaTexts,
    copypastaPosts,
    copypastaAccounts: implicated.count(Tally.copypasta),
    paraphraseAccounts: implicated.count(Tally.paraphrase),
    paraphrasePairs,
    coActivityPairs,
    ringPairs,
    ringSources: implicated.count(Tally.source),
    swarmAccounts: implicated.count(Tally.swarm),
    swarmPosts,
    pushAccounts: implicated.count(Tally.push),
    pushShare,
    pushMedianGapMs,
    pushShared,
    spanMs: Number.isFinite(firstTs) ? lastTs - firstTs : 0,
    sampleTexts,
  };
  const signals: Record<string, number> = {
    evidence: round(evidence),
    trait_weight: round(weight),
    copypasta: round(strengths.copypasta),
    paraphrase: round(strengths.paraphrase),
    co_activity: round(strengths.co_activity),
    repost_ring: round(strengths.repost_ring),
    repost_swarm: round(strengths.repost_swarm),
    push: round(strengths.push),
    co_activity_max_surprise: round(maxSurprise),
  };
  return { accounts, posts, score, signals, firstTs: Number.isFinite(firstTs) ? firstTs : 0, lastTs: Number.isFinite(lastTs) ? lastTs : 0, facts };
}

/** What `SignalTally` counts: the accounts each signal implicates, and the sources reposted by rings and swarms. */
const Tally = { copypasta: 0, paraphrase: 1, coActivity: 2, ring: 3, swarm: 4, push: 5, source: 6 } as const;
type TallyKind = (typeof Tally)[keyof typeof Tally];

/**
 * Distinct ids per kind in one cluster (only the counts are read): one map of bit masks rather
 * than a set per kind, seven of which every scored cluster used to make.
 */
class SignalTally {
  readonly #marks = new Map<string, number>();
  readonly #counts = [0, 0, 0, 0, 0, 0, 0];

  add(ids: readonly string[] | undefined, kind: TallyKind): void {
    if (ids === undefined) return;
    const bit = 1 << kind;
    for (const id of ids) {
      const marks = this.#marks.get(id) ?? 0;
      if ((marks & bit) !== 0) continue;
      this.#marks.set(id, marks | bit);
      this.#counts[kind] = (this.#counts[kind] as number) + 1;
    }
  }

  count(kind: TallyKind): number {
    return this.#counts[kind] as number;
  }
}

interface TraitFacts {
  young: number | undefined;
  lowFollowers: number | undefined;
  createdClose: number | undefined;
  traitScore: number;
}

/**
 * Shares of young, low-follower and close-created members; unknown traits are neutral (0.5).
 * `strict`: shares over all the accounts, an unknown trait counting as unremarkable (for evidence
 * that only counts when the traits corroborate it).
 */
export function accountTraits(accounts: readonly string[], book: AccountBook, traits: TraitOptions, strict = false): TraitFacts {
  let withCreated = 0;
  let young = 0;
  let withFollowers = 0;
  let low = 0;
  // A swarm's traits are re-read on every reposter that joins it: the creation times go to a
  // shared scratch instead of a fresh array per call.
  if (createdScratch.length < accounts.length) createdScratch = new Float64Array(Math.max(accounts.length, 2 * createdScratch.length));
  for (const id of accounts) {
    const account = book.get(id);
    if (account === undefined) continue;
    if (account.createdTs !== undefined) {
      createdScratch[withCreated++] = account.createdTs;
      if (account.firstTs - account.createdTs < traits.youngAgeMs) young++;
    }
    if (account.followers !== undefined) {
      withFollowers++;
      if (account.followers < traits.lowFollowers) low++;
    }
  }
  let createdClose: number | undefined;
  if (withCreated >= 3) {
    // Numeric ascending, as `(x, y) => x - y` sorts (creation times are finite).
    const created = createdScratch.subarray(0, withCreated).sort();
    let best = 0;
    let lo = 0;
    for (let hi = 0; hi < withCreated; hi++) {
      while ((created[hi] as number) - (created[lo] as number) > traits.createdCloseMs) lo++;
      best = Math.max(best, hi - lo + 1);
    }
    createdClose = best / (strict ? accounts.length : withCreated);
  }
  if (strict) {
    const n = Math.max(1, accounts.length);
    return { young: young / n, lowFollowers: low / n, createdClose, traitScore: (young / n + low / n + (createdClose ?? 0)) / 3 };
  }
  const youngShare = withCreated > 0 ? young / withCreated : undefined;
  const lowShare = withFollowers > 0 ? low / withFollowers : undefined;
  // The mean of the known shares, summed in the same order as before (young, low, close).
  let known = 0;
  let sum = 0;
  if (youngShare !== undefined) {
    sum += youngShare;
    known++;
  }
  if (lowShare !== undefined) {
    sum += lowShare;
    known++;
  }
  if (createdClose !== undefined) {
    sum += createdClose;
    known++;
  }
  const traitScore = known === 0 ? 0.5 : sum / known;
  return { young: youngShare, lowFollowers: lowShare, createdClose, traitScore };
}

/** Creation times of the accounts `accountTraits` reads (valid during one call). */
let createdScratch = new Float64Array(64);

function compare(a: string | undefined, b: string | undefined): number {
  const x = a ?? '';
  const y = b ?? '';
  return x < y ? -1 : x > y ? 1 : 0;
}

function round(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}
