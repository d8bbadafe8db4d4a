import { FlagKinds, postKey, type Flag, type TagEvent } from '../../model/index.ts';
import { AccountBook, type AccountBookLimits, type AccountBookSnapshot } from './account-book.ts';
import { CheckpointReader, CheckpointWriter, frontCode, frontDecode, packCheckpoint, type PackedCheckpoint } from './checkpoint-codec.ts';
import { CoActivityTracker, maxPairSlots, type CoActivitySnapshot } from './co-activity-tracker.ts';
import { CopypastaIndex, type CopypastaSnapshot } from './copypasta-index.ts';
import { buildClusters } from './evidence-clusters.ts';
import { summarizeCluster } from './evidence-summary.ts';
import { foldEpisode, type FlagEpisode } from './flag-episode.ts';
import type { CoordinationOptions } from './options.ts';
import { findPush, type PushFinding } from './push-detector.ts';
import { ParaphraseLinker, type ParaphraseSnapshot } from './paraphrase-linker.ts';
import { RepostRingTracker, type RepostRingSnapshot } from './repost-ring-tracker.ts';
import { TextSignatureStore, type TextEntry, type TextSignaturesSnapshot } from './text-signatures.ts';
import type { TextSigner } from './text-signer.ts';
import { StateBytes } from './state-bytes.ts';
import { SignalNames, type ClusterFacts, type EvidenceLink, type ScoredCluster } from './types.ts';

const DAY_MS = 86_400_000;

/** Spam episodes remembered per tag (one per lone account). */
const MAX_SPAM_EPISODES = 16;

const bookLimitsByOptions = new WeakMap<CoordinationOptions, AccountBookLimits>();

/** The account book's limits, made once per options object (not once per tag). */
function bookLimits(options: CoordinationOptions): AccountBookLimits {
  let limits = bookLimitsByOptions.get(options);
  if (limits === undefined) {
    limits = {
      maxAccounts: options.maxAccounts,
      historySize: options.historySize,
      repostHistorySize: options.repostHistorySize,
      maxSlots: maxPairSlots(options.coActivity),
      slotMs: options.coActivity.slotMs,
    };
    bookLimitsByOptions.set(options, limits);
  }
  return limits;
}

/**
 * Everything the coordination signals keep about one tag, bounded: every collection has an
 * event-time horizon and a hard cap with a deterministic eviction order, so memory and checkpoint
 * size depend on the tag's recent activity, never on how long the stream has run.
 *
 * Evaluation runs at the end of each `evaluateEveryMs` interval that saw events, with exactly the
 * events before that instant, so flags depend on the events alone: not on batch boundaries nor on
 * how often the clock advances. A tag whose evidence names more accounts than `evaluateBudget` is
 * evaluated proportionally less often.
 */
export class TagCoordinationState {
  readonly tag: string;
  #display: string;
  readonly #options: CoordinationOptions;
  readonly #book: AccountBook;
  readonly #texts: TextSignatureStore;
  readonly #copypasta: CopypastaIndex;
  readonly #coActivity: CoActivityTracker;
  readonly #rings: RepostRingTracker;
  readonly #paraphrase: ParaphraseLinker;
  /** Accounts with enough actions to be judged for a push (created on the first). */
  #pushCandidates: Set<string> | undefined;
  #pendingEvalAt: number | null = null;
  /** The next evaluation may not come before this (a hot tag's throttle). */
  #evalNotBefore = Number.NEGATIVE_INFINITY;
  /** Latest event time observed on this tag. */
  #clock = Number.NEGATIVE_INFINITY;
  #episode: FlagEpisode | undefined;
  #spamEpisodes: Map<string, FlagEpisode> | undefined;
  /** The last checkpoint, valid while no event or evaluation changed the state since. */
  #snapshot: TagCoordinationSnapshot | PackedCheckpoint | undefined;

  constructor(tag: string, display: string, options: CoordinationOptions, signer?: TextSigner) {
    this.tag = tag;
    this.#display = display;
    this.#options = options;
    this.#book = new AccountBook(bookLimits(options));
    this.#texts = new TextSignatureStore(options.texts, signer);
    this.#copypasta = new CopypastaIndex(options.copypasta, this.#texts);
    this.#coActivity = new CoActivityTracker(options.coActivity);
    this.#rings = new RepostRingTracker(options.repostRing, options.swarm, options.traits);
    this.#paraphrase = new ParaphraseLinker(options.paraphrase, options.copypasta.similarity, this.#texts);
  }

  observe(event: TagEvent): Flag[] {
    this.#snapshot = undefined;
    // A post later than the stage's reorder bound arrives after newer ones: it is taken at the
    // tag's clock, so every structure here stays in time order.
    const post = event.post.ts >= this.#clock ? event.post : { ...event.post, ts: this.#clock };
    this.#clock = post.ts;
    const flags = this.#evaluateDue(post.ts);
    const options = this.#options;
    const key = postKey(post.platform, post.id);
    const author = post.author.id;
    const density = this.#coActivity.density(post.ts);
    const account = this.#book.record(post, key, density);
    this.#coActivity.pair(account, post.ts, this.#book);
    // Two posts give the shared-cadence test its first gap; one account's own cadence needs more.
    if (account.times.length >= 2) (this.#pushCandidates ??= new Set()).add(author);
    if (post.kind === 'repost' && post.parentId !== undefined) {
      this.#rings.observe(account, postKey(post.platform, post.parentId), post.ts, this.#book);
    } else {
      if (post.kind !== 'reply') this.#rings.rememberSource(key, author, post.ts);
      const added = this.#texts.add(post.text, author, key, post.ts);
      if (added !== undefined) {
        this.#forgetTexts(added.dropped);
        this.#copypasta.add(added.entry, post.text);
        this.#paraphrase.add(added.entry);
      }
    }
    const every = options.evaluateEveryMs;
    this.#pendingEvalAt = Math.max((Math.floor(post.ts / every) + 1) * every, this.#evalNotBefore);
    return flags;
  }

  /** After an evaluation: the next one is due when a swarm's window ends, events or not. */
  #armSwarmClosing(at: number): void {
    const closing = this.#rings.nextClosing(at);
    if (closing === undefined || this.#pendingEvalAt !== null) return;
    const every = this.#options.evaluateEveryMs;
    this.#pendingEvalAt = Math.max(Math.ceil(closing / every) * every, this.#evalNotBefore);
  }

  advance(now: number): Flag[] {
    return this.#evaluateDue(now);
  }

  #evaluateDue(now: number): Flag[] {
    const at = this.#pendingEvalAt;
    if (at === null || now < at) return [];
    this.#pendingEvalAt = null;
    this.#snapshot = undefined;
    const flags = this.#evaluate(at);
    this.#armSwarmClosing(at);
    return flags;
  }

  #forgetTexts(dropped: readonly TextEntry[]): void {
    if (dropped.length === 0) return;
    this.#copypasta.forget(dropped);
    this.#paraphrase.forget(dropped);
  }

  #expire(at: number): void {
    const o = this.#options;
    this.#forgetTexts(this.#texts.expire(at - Math.max(o.copypasta.windowMs, o.paraphrase.windowMs)));
    this.#copypasta.expire(at - o.copypasta.windowMs);
    this.#coActivity.expire(at - o.coActivity.windowMs);
    this.#rings.expire(at - o.repostRing.pairTtlMs, at);
    this.#paraphrase.expire(at - o.paraphrase.pairTtlMs, o.texts.maxSignatures, at - o.paraphrase.burstTtlMs);
    this.#book.expire(at - Math.max(o.coActivity.windowMs, o.repostRing.pairTtlMs, o.push.windowMs, o.swarm.ttlMs));
    const candidates = this.#pushCandidates;
    if (candidates !== undefined) {
      for (const id of candidates) {
        const account = this.#book.get(id);
        if (account === undefined || account.lastTs < at - o.push.windowMs) candidates.delete(id);
      }
      if (candidates.size === 0) this.#pushCandidates = undefined;
    }
  }

  #evaluate(at: number): Flag[] {
    const options = this.#options;
    this.#expire(at);
    const push = this.#pushCandidates === undefined ? undefined : findPush(this.#book, this.#pushCandidates, at, options.push, options.coActivity.slotMs);
    const links = this.#links(at, push);
    let mentions = 0;
    for (const link of links) mentions += link.accounts.length + (link.sources?.length ?? 0);
    this.#evalNotBefore = at + options.evaluateEveryMs * (Math.ceil(mentions / options.evaluateBudget) - 1);
    const clusters = buildClusters(links, this.#book, options.traits, options);
    const qualifying = clusters.filter((c) => c.accounts.length >= options.minClusterSize && c.score >= options.minScore);
    const flags: Flag[] = [];
    const rules = { ...options, maxAuthors: options.maxFlagAuthors };
    if (qualifying.length > 0) {
      const accounts = uniqueInOrder(qualifying.flatMap((c) => c.accounts));
      const finding = {
        accounts,
        score: Math.max(...qualifying.map((c) => c.score)),
        firstTs: Math.min(...qualifying.map((c) => c.firstTs)),
        lastTs: Math.max(...qualifying.map((c) => c.lastTs)),
      };
      const folded = foldEpisode(this.#episode, finding, at, rules, [this.tag, FlagKinds.coordinated]);
      this.#episode = folded.episode;
      if (folded.emit) flags.push(this.#coordinatedFlag(folded.episode, qualifying, finding.score, at));
    }
    if (options.emitSpam && push !== undefined && push.accounts.length === 1) {
      const lone = push.accounts[0];
      if (lone !== undefined && !qualifying.some((c) => c.accounts.includes(lone.id))) {
        const account = this.#book.get(lone.id);
        const finding = { accounts: [lone.id], score: Math.min(1, push.share), firstTs: account?.firstTs ?? at, lastTs: account?.lastTs ?? at };
        const spamEpisodes = (this.#spamEpisodes ??= new Map());
        const folded = foldEpisode(spamEpisodes.get(lone.id), finding, at, rules, [this.tag, FlagKinds.spam, lone.id]);
        spamEpisodes.delete(lone.id);
        spamEpisodes.set(lone.id, folded.episode);
        if (spamEpisodes.size > MAX_SPAM_EPISODES) {
          const oldest = spamEpisodes.keys().next();
          if (oldest.done !== true) spamEpisodes.delete(oldest.value);
        }
        if (folded.emit) flags.push(this.#spamFlag(folded.episode, push, account === undefined ? [] : [account.lastPost], at));
      }
    }
    return flags;
  }

  #links(at: number, push: PushFinding | undefined): EvidenceLink[] {
    const links: EvidenceLink[] = [];
    for (const group of this.#copypasta.evidence()) {
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
    for (const burst of this.#paraphrase.bursts()) {
      links.push({
        signal: SignalNames.paraphrase,
        accounts: [burst.author, ...burst.partners],
        posts: burst.posts,
        firstTs: burst.ts,
        lastTs: burst.ts,
        strength: burst.surprise,
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
    // Alone, a swarm is what any popular post looks like: it counts only when its accounts'
    // traits corroborate it (young, few followers, created together) or when it is closed (its
    // reposts came within seconds and stopped).
    for (const swarm of this.#rings.swarms(at)) {
      links.push({
        signal: SignalNames.swarm,
        accounts: swarm.accounts,
        posts: [swarm.parent],
        firstTs: swarm.firstTs,
        lastTs: swarm.lastTs,
        strength: swarm.accounts.length,
        ...(swarm.source === undefined ? {} : { sources: [swarm.source] }),
      });
    }
    if (push !== undefined && push.accounts.length >= 2) {
      const ids = push.accounts.map((a) => a.id);
      const gaps = push.accounts.map((a) => a.medianGapMs).sort((x, y) => x - y);
      links.push({
        signal: SignalNames.push,
        accounts: ids,
        posts: ids.flatMap((id) => this.#lastPost(id)),
        firstTs: Math.min(...ids.map((id) => this.#book.get(id)?.firstTs ?? at)),
        lastTs: Math.max(...ids.map((id) => this.#book.get(id)?.lastTs ?? at)),
        strength: push.share,
        detail: { medianGapMs: gaps[Math.floor(gaps.length / 2)] ?? 0, ...(push.shared === true ? { shared: 1 } : {}) },
      });
    }
    return links;
  }

  #samplePosts(a: string, b: string): string[] {
    return [...this.#lastPost(a), ...this.#lastPost(b)];
  }

  #lastPost(id: string): string[] {
    const account = this.#book.get(id);
    return account === undefined ? [] : [account.lastPost];
  }

  #coordinatedFlag(episode: FlagEpisode, clusters: readonly ScoredCluster[], score: number, at: number): Flag {
    const options = this.#options;
    const facts = mergeFacts(clusters.map((c) => c.facts));
    facts.accounts = episode.authorCount;
    const summary = summarizeCluster(facts, this.#display, Math.round(options.traits.youngAgeMs / DAY_MS), options.traits.lowFollowers);
    const top = clusters[0] as ScoredCluster;
    const signals: Record<string, number> = {
      ...top.signals,
      accounts: episode.authorCount,
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
      swarm_accounts: facts.swarmAccounts,
      push_accounts: facts.pushAccounts,
      push_share: round(facts.pushShare),
    };
    const evidence = {
      summary,
      // The flags table keeps only the latest revision: this is when the episode first fired.
      firstDetectedAt: episode.startTs,
      episodeStart: new Date(episode.startTs).toISOString(),
      accountsTotal: episode.authorCount,
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

  /** Rough bytes held by this tag's coordination state (see `StateBytes`). */
  get bytes(): number {
    let total = StateBytes.tagState + this.#book.bytes + this.#texts.bytes + this.#copypasta.bytes + this.#coActivity.bytes + this.#rings.bytes + this.#paraphrase.bytes;
    if (this.#pushCandidates !== undefined) total += StateBytes.map + this.#pushCandidates.size * StateBytes.mapEntry;
    if (this.#spamEpisodes !== undefined) total += StateBytes.map + this.#spamEpisodes.size * 300;
    if (this.#episode !== undefined) total += 300 + this.#episode.authors.length * 4;
    return total;
  }

  setDisplay(display: string): void {
    if (this.#display.length === 0) this.#display = display;
  }

  /**
   * A compact, lossless checkpoint (see `CheckpointWriter`), deflated when large
   * (`checkpointPackChars`). A tag with no event and no evaluation since its last checkpoint
   * returns the same one (treat it as read-only).
   */
  snapshot(): TagCoordinationSnapshot | PackedCheckpoint {
    this.#snapshot ??= packCheckpoint(this.#writeSnapshot(), this.#options.checkpointPackChars);
    return this.#snapshot;
  }

  #writeSnapshot(): TagCoordinationSnapshot {
    const base = Number.isFinite(this.#clock) ? this.#clock : 0;
    const w = new CheckpointWriter(base);
    const book = this.#book.snapshot(w);
    const texts = this.#texts.snapshot(w);
    const copypasta = this.#copypasta.snapshot(w);
    const paraphrase = this.#paraphrase.snapshot(w);
    const coActivity = this.#coActivity.snapshot(w);
    const rings = this.#rings.snapshot(w);
    const push = [...(this.#pushCandidates ?? [])].map((id) => w.id(id));
    const episode = this.#episode === undefined ? null : encodeEpisode(this.#episode, w);
    const spam = [...(this.#spamEpisodes ?? [])].map(([id, e]) => [w.id(id), encodeEpisode(e, w)] as [number, EpisodeRow]);
    return {
      v: 2,
      display: this.#display,
      clock: Number.isFinite(this.#clock) ? this.#clock : null,
      pendingEvalAt: this.#pendingEvalAt === null ? null : w.t(this.#pendingEvalAt),
      evalNotBefore: Number.isFinite(this.#evalNotBefore) ? w.t(this.#evalNotBefore) : null,
      ids: w.ids,
      posts: frontCode(w.posts),
      book,
      texts,
      copypasta,
      paraphrase,
      coActivity,
      rings,
      push,
      episode,
      spam,
    };
  }

  restore(state: TagCoordinationSnapshot): void {
    this.#snapshot = undefined;
    const base = state.clock ?? 0;
    const r = new CheckpointReader(this.tag, base, state.ids, frontDecode(state.posts));
    this.#display = state.display;
    this.#clock = state.clock ?? Number.NEGATIVE_INFINITY;
    this.#pendingEvalAt = state.pendingEvalAt === null ? null : r.t(state.pendingEvalAt);
    this.#evalNotBefore = state.evalNotBefore === null ? Number.NEGATIVE_INFINITY : r.t(state.evalNotBefore);
    this.#book.restore(state.book, r);
    // The text indexes rebuild their buckets from the store: it comes first.
    this.#texts.restore(state.texts, r);
    this.#copypasta.restore(state.copypasta, r);
    this.#paraphrase.restore(state.paraphrase, r);
    this.#coActivity.restore(state.coActivity, r);
    this.#rings.restore(state.rings, r);
    this.#pushCandidates = undefined;
    for (const id of state.push) (this.#pushCandidates ??= new Set()).add(r.id(id));
    this.#episode = state.episode === null ? undefined : decodeEpisode(state.episode, r);
    this.#spamEpisodes = undefined;
    for (const [id, e] of state.spam) (this.#spamEpisodes ??= new Map()).set(r.id(id), decodeEpisode(e, r));
  }
}

type EpisodeRow = [
  flagId: string,
  start: number,
  revision: number,
  authors: number[],
  authorCount: number,
  windowStart: number,
  windowEnd: number,
  lastEmit: number,
  lastScore: number,
  lastSize: number,
  lastQualified: number,
];

function encodeEpisode(e: FlagEpisode, w: CheckpointWriter): EpisodeRow {
  return [
    e.flagId,
    w.t(e.startTs),
    e.revision,
    e.authors.map((a) => w.id(a)),
    e.authorCount,
    w.t(e.windowStart),
    w.t(e.windowEnd),
    w.t(e.lastEmitTs),
    e.lastScore,
    e.lastSize,
    w.t(e.lastQualifiedTs),
  ];
}

function decodeEpisode(row: EpisodeRow, r: CheckpointReader): FlagEpisode {
  const [flagId, start, revision, authors, authorCount, windowStart, windowEnd, lastEmit, lastScore, lastSize, lastQualified] = row;
  return {
    flagId,
    startTs: r.t(start),
    revision,
    authors: authors.map((a) => r.id(a)),
    authorCount,
    windowStart: r.t(windowStart),
    windowEnd: r.t(windowEnd),
    lastEmitTs: r.t(lastEmit),
    lastScore,
    lastSize,
    lastQualifiedTs: r.t(lastQualified),
  };
}

/** Checkpoint format 2: interned ids and post keys, times relative to `clock`. */
export interface TagCoordinationSnapshot {
  v: 2;
  display: string;
  clock: number | null;
  pendingEvalAt: number | null;
  evalNotBefore: number | null;
  ids: string[];
  /** Post keys, front-coded (`frontCode`). */
  posts: string[];
  book: AccountBookSnapshot;
  texts: TextSignaturesSnapshot;
  copypasta: CopypastaSnapshot;
  paraphrase: ParaphraseSnapshot;
  coActivity: CoActivitySnapshot;
  rings: RepostRingSnapshot;
  push: number[];
  episode: EpisodeRow | null;
  spam: Array<[number, EpisodeRow]>;
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
    swarmAccounts: all.reduce((s, f) => s + f.swarmAccounts, 0),
    swarmPosts: all.reduce((s, f) => s + f.swarmPosts, 0),
    pushAccounts: all.reduce((s, f) => s + f.pushAccounts, 0),
    pushShare: Math.max(0, ...all.map((f) => f.pushShare)),
    pushMedianGapMs: all.find((f) => f.pushAccounts > 0)?.pushMedianGapMs ?? 0,
    pushShared: all.find((f) => f.pushAccounts > 0)?.pushShared ?? false,
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
