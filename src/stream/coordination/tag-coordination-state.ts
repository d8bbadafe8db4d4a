import { FlagKinds, postKey, type Flag, type TagEvent } from '../../model/index.ts';
import { AccountBook, type AccountBookSnapshot } from './account-book.ts';
import { CoActivityTracker, maxPairSlots, type CoActivitySnapshot } from './co-activity-tracker.ts';
import { CopypastaIndex, type CopypastaSnapshot } from './copypasta-index.ts';
import { buildClusters } from './evidence-clusters.ts';
import { summarizeCluster } from './evidence-summary.ts';
import { foldEpisode, type FlagEpisode } from './flag-episode.ts';
import type { CoordinationOptions } from './options.ts';
import { findPush, type PushFinding } from './push-detector.ts';
import { ParaphraseLinker, type ParaphraseSnapshot } from './paraphrase-linker.ts';
import { RepostRingTracker, type RepostRingSnapshot } from './repost-ring-tracker.ts';
import { SignalNames, type ClusterFacts, type EvidenceLink, type ScoredCluster } from './types.ts';

const DAY_MS = 86_400_000;

/**
 * Everything the coordination signals keep about one tag. Evaluation runs at the end of each
 * `evaluateEveryMs` interval that saw events, with exactly the events before that instant, so
 * flags depend on the events alone: not on batch boundaries nor on how often the clock advances.
 */
export class TagCoordinationState {
  readonly tag: string;
  #display: string;
  readonly #options: CoordinationOptions;
  readonly #book: AccountBook;
  readonly #copypasta: CopypastaIndex;
  readonly #coActivity: CoActivityTracker;
  readonly #rings: RepostRingTracker;
  readonly #paraphrase: ParaphraseLinker;
  /** Key of a recent original → its author, to name the sources a ring reposts. */
  readonly #postAuthors = new Map<string, string>();
  readonly #pushCandidates = new Set<string>();
  #pendingEvalAt: number | null = null;
  /** Latest event time observed on this tag. */
  #clock = Number.NEGATIVE_INFINITY;
  #episode: FlagEpisode | undefined;
  readonly #spamEpisodes = new Map<string, FlagEpisode>();

  constructor(tag: string, display: string, options: CoordinationOptions) {
    this.tag = tag;
    this.#display = display;
    this.#options = options;
    this.#book = new AccountBook({
      maxAccounts: options.maxAccounts,
      cadenceSamples: options.push.cadenceSamples,
      maxSlots: maxPairSlots(options.coActivity),
      slotMs: options.coActivity.slotMs,
    });
    this.#copypasta = new CopypastaIndex(options.copypasta);
    this.#coActivity = new CoActivityTracker(options.coActivity);
    this.#rings = new RepostRingTracker(options.repostRing);
    this.#paraphrase = new ParaphraseLinker(options.paraphrase, options.copypasta.similarity);
  }

  observe(event: TagEvent): Flag[] {
    // A post later than the stage's reorder bound arrives after newer ones: it is taken at the
    // tag's clock, so every structure here stays in time order.
    const post = event.post.ts >= this.#clock ? event.post : { ...event.post, ts: this.#clock };
    this.#clock = post.ts;
    const flags = this.#evaluateDue(post.ts);
    const key = postKey(post.platform, post.id);
    const author = post.author.id;
    const density = this.#coActivity.observe(author, post.ts);
    const account = this.#book.record(post, key, density);
    if (account.recentTs.length >= this.#options.push.minPosts) this.#pushCandidates.add(author);
    if (post.kind === 'repost' && post.parentId !== undefined) {
      const parent = postKey(post.platform, post.parentId);
      this.#rings.observe(author, parent, this.#postAuthors.get(parent), post.ts);
    } else {
      if (post.kind !== 'reply') this.#rememberAuthor(key, author);
      const added = this.#copypasta.add(post.text, author, key, post.ts);
      if (added !== undefined) this.#paraphrase.add(added.signature, author, post.ts);
    }
    const every = this.#options.evaluateEveryMs;
    this.#pendingEvalAt = (Math.floor(post.ts / every) + 1) * every;
    return flags;
  }

  advance(now: number): Flag[] {
    return this.#evaluateDue(now);
  }

  #evaluateDue(now: number): Flag[] {
    const at = this.#pendingEvalAt;
    if (at === null || now < at) return [];
    this.#pendingEvalAt = null;
    return this.#evaluate(at);
  }

  #rememberAuthor(key: string, author: string): void {
    this.#postAuthors.set(key, author);
    if (this.#postAuthors.size > this.#options.repostRing.maxParents) {
      const oldest = this.#postAuthors.keys().next();
      if (oldest.done !== true) this.#postAuthors.delete(oldest.value);
    }
  }

  #evaluate(at: number): Flag[] {
    const options = this.#options;
    this.#copypasta.expire(at - options.copypasta.windowMs);
    this.#coActivity.expire(at - options.coActivity.pairTtlMs);
    this.#rings.expire(at - options.repostRing.pairTtlMs);
    this.#paraphrase.expire(at - options.paraphrase.windowMs, at - options.paraphrase.pairTtlMs);
    this.#book.expire(at - Math.max(options.coActivity.pairTtlMs, options.repostRing.pairTtlMs, options.push.windowMs));
    for (const id of this.#pushCandidates) {
      const account = this.#book.get(id);
      if (account === undefined || account.lastTs < at - options.push.windowMs) this.#pushCandidates.delete(id);
    }
    const push = findPush(this.#book, this.#pushCandidates, at, options.push, options.coActivity.slotMs);
    const links = this.#links(at, push);
    const clusters = buildClusters(links, this.#book, options.traits, options.copypasta.fullShare);
    const qualifying = clusters.filter((c) => c.accounts.length >= options.minClusterSize && c.score >= options.minScore);
    const flags: Flag[] = [];
    if (qualifying.length > 0) {
      const accounts = uniqueInOrder(qualifying.flatMap((c) => c.accounts));
      const finding = {
        accounts,
        score: Math.max(...qualifying.map((c) => c.score)),
        firstTs: Math.min(...qualifying.map((c) => c.firstTs)),
        lastTs: Math.max(...qualifying.map((c) => c.lastTs)),
      };
      const folded = foldEpisode(this.#episode, finding, at, options, [this.tag, FlagKinds.coordinated]);
      this.#episode = folded.episode;
      if (folded.emit) flags.push(this.#coordinatedFlag(folded.episode, qualifying, finding.score, at));
    }
    if (options.emitSpam && push !== undefined && push.accounts.length === 1) {
      const lone = push.accounts[0];
      if (lone !== undefined && !qualifying.some((c) => c.accounts.includes(lone.id))) {
        const account = this.#book.get(lone.id);
        const finding = { accounts: [lone.id], score: Math.min(1, push.share), firstTs: account?.firstTs ?? at, lastTs: account?.lastTs ?? at };
        const folded = foldEpisode(this.#spamEpisodes.get(lone.id), finding, at, options, [this.tag, FlagKinds.spam, lone.id]);
        this.#spamEpisodes.set(lone.id, folded.episode);
        if (this.#spamEpisodes.size > 64) {
          const oldest = this.#spamEpisodes.keys().next();
          if (oldest.done !== true) this.#spamEpisodes.delete(oldest.value);
        }
        if (folded.emit) flags.push(this.#spamFlag(folded.episode, push, account?.samplePosts ?? [], at));
      }
    }
    return flags;
  }

  #links(at: number, push: PushFinding | undefined): EvidenceLink[] {
    const options = this.#options;
    const links: EvidenceLink[] = [];
    for (const group of this.#copypasta.groups.values()) {
      if (group.authors.size < options.copypasta.minAccounts) continue;
      links.push({
        signal: SignalNames.copypasta,
        accounts: [...group.authors.keys()],
        posts: group.samplePosts,
        firstTs: group.firstTs,
        lastTs: group.lastTs,
        strength: group.posts,
        sampleText: group.sampleText,
        detail: { share: group.posts / Math.max(group.posts, this.#book.actionsBetween(group.firstTs, group.lastTs)) },
      });
    }
    for (const pair of this.#paraphrase.linkedPairs()) {
      links.push({
        signal: SignalNames.paraphrase,
        accounts: [pair.a, pair.b],
        posts: this.#samplePosts(pair.a, pair.b),
        firstTs: Math.min(this.#book.get(pair.a)?.firstTs ?? pair.lastTs, this.#book.get(pair.b)?.firstTs ?? pair.lastTs),
        lastTs: pair.lastTs,
        strength: pair.links,
      });
    }
    for (const pair of this.#coActivity.significantPairs(this.#book, at)) {
      links.push({
        signal: SignalNames.coActivity,
        accounts: [pair.a, pair.b],
        posts: this.#samplePosts(pair.a, pair.b),
        firstTs: Math.min(this.#book.get(pair.a)?.firstTs ?? pair.lastTs, this.#book.get(pair.b)?.firstTs ?? pair.lastTs),
        lastTs: pair.lastTs,
        strength: pair.surprise,
        detail: { coincidences: pair.coincidences, expected: pair.expected },
      });
    }
    for (const pair of this.#rings.ringPairs()) {
      links.push({
        signal: SignalNames.repostRing,
        accounts: [pair.a, pair.b],
        posts: this.#samplePosts(pair.a, pair.b),
        firstTs: Math.min(this.#book.get(pair.a)?.firstTs ?? pair.lastTs, this.#book.get(pair.b)?.firstTs ?? pair.lastTs),
        lastTs: pair.lastTs,
        strength: pair.weight,
        sources: pair.sources,
        detail: { objects: pair.objects },
      });
    }
    if (push !== undefined && push.accounts.length >= 2) {
      const ids = push.accounts.map((a) => a.id);
      const gaps = push.accounts.map((a) => a.medianGapMs).sort((x, y) => x - y);
      links.push({
        signal: SignalNames.push,
        accounts: ids,
        posts: ids.flatMap((id) => this.#book.get(id)?.samplePosts.slice(-1) ?? []),
        firstTs: Math.min(...ids.map((id) => this.#book.get(id)?.firstTs ?? at)),
        lastTs: Math.max(...ids.map((id) => this.#book.get(id)?.lastTs ?? at)),
        strength: push.share,
        detail: { medianGapMs: gaps[Math.floor(gaps.length / 2)] ?? 0 },
      });
    }
    return links;
  }

  #samplePosts(a: string, b: string): string[] {
    return [...(this.#book.get(a)?.samplePosts.slice(-1) ?? []), ...(this.#book.get(b)?.samplePosts.slice(-1) ?? [])];
  }

  #coordinatedFlag(episode: FlagEpisode, clusters: readonly ScoredCluster[], score: number, at: number): Flag {
    const options = this.#options;
    const facts = mergeFacts(clusters.map((c) => c.facts));
    facts.accounts = episode.authors.length;
    const summary = summarizeCluster(facts, this.#display, Math.round(options.traits.youngAgeMs / DAY_MS), options.traits.lowFollowers);
    const top = clusters[0] as ScoredCluster;
    const signals: Record<string, number> = {
      ...top.signals,
      accounts: episode.authors.length,
      clusters: clusters.length,
      young_share: round(facts.youngShare),
      low_followers_share: round(facts.lowFollowerShare),
      created_close_share: round(facts.createdCloseShare),
      copypasta_texts: facts.copypastaTexts,
      copypasta_posts: facts.copypastaPosts,
      copypasta_accounts: facts.copypastaAccounts,
      paraphrase_accounts: facts.paraphraseAccounts,
      paraphrase_pairs: facts.paraphrasePairs,
      co_activity_pairs: facts.coActivityPairs,
      ring_pairs: facts.ringPairs,
      ring_sources: facts.ringSources,
      push_accounts: facts.pushAccounts,
      push_share: round(facts.pushShare),
    };
    const evidence = {
      summary,
      // The flags table keeps only the latest revision: this is when the episode first fired.
      firstDetectedAt: episode.startTs,
      episodeStart: new Date(episode.startTs).toISOString(),
      accountsTotal: episode.authors.length,
      authorsListed: Math.min(episode.authors.length, options.maxFlagAuthors),
      clusters: clusters.slice(0, 10).map((c) => ({
        accounts: c.accounts.length,
        score: c.score,
        summary: summarizeCluster(c.facts, this.#display, Math.round(options.traits.youngAgeMs / DAY_MS), options.traits.lowFollowers),
        signals: c.signals,
        sampleAccounts: c.accounts.slice(0, 10),
        sampleTexts: c.facts.sampleTexts,
        firstSeen: new Date(c.firstTs).toISOString(),
        lastSeen: new Date(c.lastTs).toISOString(),
      })),
    };
    return {
      flagId: episode.flagId,
      tag: this.tag,
      kind: FlagKinds.coordinated,
      detectedAt: at,
      windowStart: episode.windowStart,
      windowEnd: episode.windowEnd,
      score,
      authors: [...episode.authors].sort().slice(0, options.maxFlagAuthors),
      postIds: uniqueInOrder(clusters.flatMap((c) => c.posts)).slice(0, options.maxFlagPosts),
      signals,
      evidence: JSON.stringify(evidence),
      revision: episode.revision,
    };
  }

  #spamFlag(episode: FlagEpisode, push: PushFinding, posts: readonly string[], at: number): Flag {
    const lone = push.accounts[0] as PushFinding['accounts'][number];
    const summary = `one account produced ${Math.round(push.share * 100)}% of #${this.#display} posts at machine-regular intervals; one account alone is not coordination`;
    return {
      flagId: episode.flagId,
      tag: this.tag,
      kind: FlagKinds.spam,
      detectedAt: at,
      windowStart: episode.windowStart,
      windowEnd: episode.windowEnd,
      score: round(Math.min(1, push.share)),
      authors: [lone.id],
      postIds: [...posts],
      signals: { push_share: round(push.share), cadence_cv: round(lone.cv), median_gap_ms: lone.medianGapMs, actions: lone.actions },
      evidence: JSON.stringify({ summary, firstDetectedAt: episode.startTs, account: lone.id, tagActions: push.tagActions }),
      revision: episode.revision,
    };
  }

  setDisplay(display: string): void {
    if (this.#display.length === 0) this.#display = display;
  }

  snapshot(): TagCoordinationSnapshot {
    return {
      v: 1,
      display: this.#display,
      pendingEvalAt: this.#pendingEvalAt,
      clock: Number.isFinite(this.#clock) ? this.#clock : null,
      book: this.#book.snapshot(),
      copypasta: this.#copypasta.snapshot(),
      coActivity: this.#coActivity.snapshot(),
      rings: this.#rings.snapshot(),
      paraphrase: this.#paraphrase.snapshot(),
      postAuthors: [...this.#postAuthors],
      pushCandidates: [...this.#pushCandidates],
      episode: this.#episode === undefined ? null : structuredClone(this.#episode),
      spamEpisodes: structuredClone([...this.#spamEpisodes]),
    };
  }

  restore(state: TagCoordinationSnapshot): void {
    this.#display = state.display;
    this.#pendingEvalAt = state.pendingEvalAt;
    this.#clock = state.clock ?? Number.NEGATIVE_INFINITY;
    this.#book.restore(state.book);
    this.#copypasta.restore(state.copypasta);
    this.#coActivity.restore(state.coActivity);
    this.#rings.restore(state.rings);
    this.#paraphrase.restore(state.paraphrase);
    this.#postAuthors.clear();
    for (const [key, author] of state.postAuthors) this.#postAuthors.set(key, author);
    this.#pushCandidates.clear();
    for (const id of state.pushCandidates) this.#pushCandidates.add(id);
    this.#episode = state.episode === null ? undefined : structuredClone(state.episode);
    this.#spamEpisodes.clear();
    for (const [id, episode] of structuredClone(state.spamEpisodes)) this.#spamEpisodes.set(id, episode);
  }
}

export interface TagCoordinationSnapshot {
  v: 1;
  display: string;
  pendingEvalAt: number | null;
  clock: number | null;
  book: AccountBookSnapshot;
  copypasta: CopypastaSnapshot;
  coActivity: CoActivitySnapshot;
  rings: RepostRingSnapshot;
  paraphrase: ParaphraseSnapshot;
  postAuthors: Array<[string, string]>;
  pushCandidates: string[];
  episode: FlagEpisode | null;
  spamEpisodes: Array<[string, FlagEpisode]>;
}

function mergeFacts(all: readonly ClusterFacts[]): ClusterFacts {
  const total = all.reduce((s, f) => s + f.accounts, 0);
  const weighted = (pick: (f: ClusterFacts) => number): number => (total === 0 ? 0 : all.reduce((s, f) => s + pick(f) * f.accounts, 0) / total);
  return {
    accounts: total,
    youngShare: weighted((f) => f.youngShare),
    lowFollowerShare: weighted((f) => f.lowFollowerShare),
    createdCloseShare: weighted((f) => f.createdCloseShare),
    copypastaTexts: all.reduce((s, f) => s + f.copypastaTexts, 0),
    copypastaPosts: all.reduce((s, f) => s + f.copypastaPosts, 0),
    copypastaAccounts: all.reduce((s, f) => s + f.copypastaAccounts, 0),
    paraphraseAccounts: all.reduce((s, f) => s + f.paraphraseAccounts, 0),
    paraphrasePairs: all.reduce((s, f) => s + f.paraphrasePairs, 0),
    coActivityPairs: all.reduce((s, f) => s + f.coActivityPairs, 0),
    ringPairs: all.reduce((s, f) => s + f.ringPairs, 0),
    ringSources: all.reduce((s, f) => s + f.ringSources, 0),
    pushAccounts: all.reduce((s, f) => s + f.pushAccounts, 0),
    pushShare: Math.max(0, ...all.map((f) => f.pushShare)),
    pushMedianGapMs: all.find((f) => f.pushAccounts > 0)?.pushMedianGapMs ?? 0,
    spanMs: Math.max(0, ...all.map((f) => f.spanMs)),
    sampleTexts: all.flatMap((f) => f.sampleTexts).slice(0, 3),
  };
}

function uniqueInOrder(items: readonly string[]): string[] {
  return [...new Set(items)];
}

function round(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}
