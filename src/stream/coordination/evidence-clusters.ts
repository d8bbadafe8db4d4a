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
  const union = new AccountUnion();
  for (const link of links) {
    const members = linkMembers(link);
    const first = members[0];
    if (first === undefined) continue;
    for (const id of members) {
      union.add(id);
      union.union(first, id);
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
    const first = linkMembers(link)[0];
    if (first !== undefined) byRoot.get(union.find(first))?.links.push(link);
  }
  const clusters = [...byRoot.values()].map((acc) => scoreCluster(acc, book, traits, weights));
  clusters.sort((x, y) => y.score - x.score || y.accounts.length - x.accounts.length || compare(x.accounts[0], y.accounts[0]));
  return clusters;
}

function linkMembers(link: EvidenceLink): readonly string[] {
  return link.sources === undefined ? link.accounts : [...link.accounts, ...link.sources];
}

function scoreCluster(acc: ClusterAccumulator, book: AccountBook, traits: TraitOptions, weights: ClusterWeights): ScoredCluster {
  const copypasta = weights.copypasta;
  const paraphraseAccountScale = weights.paraphrase.accountScale;
  const accounts = [...acc.accounts].sort(compare);
  const implicated = {
    copypasta: new Set<string>(),
    paraphrase: new Set<string>(),
    coActivity: new Set<string>(),
    ring: new Set<string>(),
    swarm: new Set<string>(),
    push: new Set<string>(),
  };
  let swarmPosts = 0;
  const sources = new Set<string>();
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
        for (const id of link.accounts) implicated.copypasta.add(id);
        if (link.sampleText !== undefined && sampleTexts.length < 3) sampleTexts.push(link.sampleText);
        break;
      case SignalNames.paraphrase:
        paraphrasePairs++;
        for (const id of link.accounts) implicated.paraphrase.add(id);
        break;
      case SignalNames.coActivity:
        coActivityPairs++;
        maxSurprise = Math.max(maxSurprise, link.strength);
        for (const id of link.accounts) implicated.coActivity.add(id);
        break;
      case SignalNames.repostRing:
        ringPairs++;
        for (const id of link.accounts) implicated.ring.add(id);
        for (const id of link.sources ?? []) sources.add(id);
        break;
      case SignalNames.swarm:
        swarmPosts++;
        for (const id of link.accounts) implicated.swarm.add(id);
        for (const id of link.sources ?? []) sources.add(id);
        break;
      case SignalNames.push:
        pushShare = Math.max(pushShare, link.strength);
        pushMedianGapMs = link.detail?.['medianGapMs'] ?? 0;
        pushShared = link.detail?.['shared'] === 1;
        for (const id of link.accounts) implicated.push.add(id);
        break;
    }
  }
  const traitFacts = accountTraits(accounts, book, traits);
  const strengths = {
    copypasta: implicated.copypasta.size >= 2 ? 1 - copypastaMiss : 0,
    paraphrase: implicated.paraphrase.size >= 2 ? 1 - Math.exp(-implicated.paraphrase.size / paraphraseAccountScale) : 0,
    co_activity: implicated.coActivity.size >= 2 ? 1 - Math.exp(-implicated.coActivity.size / 3) : 0,
    repost_ring: implicated.ring.size >= 2 ? 1 - Math.exp(-implicated.ring.size / 3) : 0,
    repost_swarm: implicated.swarm.size >= 2 ? 1 - Math.exp(-implicated.swarm.size / 6) : 0,
    push: implicated.push.size >= 2 ? 0.6 + 0.4 * Math.min(1, pushShare / 0.5) : 0,
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
    copypastaAccounts: implicated.copypasta.size,
    paraphraseAccounts: implicated.paraphrase.size,
    paraphrasePairs,
    coActivityPairs,
    ringPairs,
    ringSources: sources.size,
    swarmAccounts: implicated.swarm.size,
    swarmPosts,
    pushAccounts: implicated.push.size,
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
  const created: number[] = [];
  for (const id of accounts) {
    const account = book.get(id);
    if (account === undefined) continue;
    if (account.createdTs !== undefined) {
      withCreated++;
      created.push(account.createdTs);
      if (account.firstTs - account.createdTs < traits.youngAgeMs) young++;
    }
    if (account.followers !== undefined) {
      withFollowers++;
      if (account.followers < traits.lowFollowers) low++;
    }
  }
  let createdClose: number | undefined;
  if (created.length >= 3) {
    created.sort((x, y) => x - y);
    let best = 0;
    let lo = 0;
    for (let hi = 0; hi < created.length; hi++) {
      while ((created[hi] as number) - (created[lo] as number) > traits.createdCloseMs) lo++;
      best = Math.max(best, hi - lo + 1);
    }
    createdClose = best / (strict ? accounts.length : created.length);
  }
  if (strict) {
    const n = Math.max(1, accounts.length);
    return { young: young / n, lowFollowers: low / n, createdClose, traitScore: (young / n + low / n + (createdClose ?? 0)) / 3 };
  }
  const youngShare = withCreated > 0 ? young / withCreated : undefined;
  const lowShare = withFollowers > 0 ? low / withFollowers : undefined;
  const known = [youngShare, lowShare, createdClose].filter((v): v is number => v !== undefined);
  const traitScore = known.length === 0 ? 0.5 : known.reduce((s, v) => s + v, 0) / known.length;
  return { young: youngShare, lowFollowers: lowShare, createdClose, traitScore };
}

function compare(a: string | undefined, b: string | undefined): number {
  const x = a ?? '';
  const y = b ?? '';
  return x < y ? -1 : x > y ? 1 : 0;
}

function round(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}
