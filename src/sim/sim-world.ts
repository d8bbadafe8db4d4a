import { AccountRegistry } from './account-registry.ts';
import { EventQueue } from './event-queue.ts';
import type { ResolvedSimOptions } from './options.ts';
import { PostFactory } from './post-factory.ts';
import { SeededRandom } from './seeded-random.ts';
import { TagVocabulary } from './tag-vocabulary.ts';
import type { CampaignStyle, HardCaseKind } from './options.ts';
import { EventTracker, type MacronleaksFigures, type TruthBurst, type TruthCampaign, type TruthHardCase } from './truth.ts';
import { HOUR_MS, type SimActor, type SimScheduler } from './types.ts';

export interface CampaignRecord {
  tracker: EventTracker;
  style: CampaignStyle;
  target: 'fresh' | 'existing';
  sources: string[];
  params: TruthCampaign['params'];
  /** False when the scenario reports the tag's burst itself (several campaigns on one tag). */
  burstCandidate?: boolean;
}

export interface HardCaseRecord {
  tracker: EventTracker;
  kind: HardCaseKind;
  authors: string[];
  /** Whether a burst detector should catch it (listed in `bursts[]` when it takes off). */
  burstCandidate: boolean;
}

/**
 * Everything one simulation shares: options, the root generator, accounts, tag vocabulary, post
 * factory, the event queue, and the labelled events whose truth is written at the end.
 */
export class SimWorld implements SimScheduler {
  readonly startTs: number;
  readonly endTs: number;
  readonly rng: SeededRandom;
  readonly accounts: AccountRegistry;
  readonly posts: PostFactory;
  readonly queue = new EventQueue<SimActor>();
  readonly campaigns: CampaignRecord[] = [];
  readonly hardCases: HardCaseRecord[] = [];
  /** Scenario-specific figures, computed when the stream ends. */
  figures: (() => MacronleaksFigures) | undefined;
  /** Bursts a scenario reports itself, computed when the stream ends. */
  extraBursts: (() => TruthBurst[]) | undefined;
  /** Set by the scenario's planner first thing (its head may be pinned by the scenario). */
  vocabulary!: TagVocabulary;

  constructor(readonly options: ResolvedSimOptions) {
    this.startTs = Date.parse(options.start);
    this.endTs = this.startTs + Math.round(options.hours * HOUR_MS);
    this.rng = new SeededRandom(options.seed, `tagwatch-sim/${options.scenario}`);
    this.accounts = new AccountRegistry(options.seed);
    this.posts = new PostFactory(options.platform, options.scenario === 'macronleaks' ? 'm' : 's', options.seed);
  }

  schedule(ts: number, actor: SimActor, arg = 0): void {
    if (ts < this.endTs && Number.isFinite(ts)) this.queue.push(Math.floor(ts), actor, arg);
  }

  tracker(id: string, tag: string, display: string, baselinePerMin: number): EventTracker {
    return new EventTracker(id, tag, display, baselinePerMin, this.options.truth.samplePostIds);
  }

  addCampaign(record: CampaignRecord): void {
    this.campaigns.push(record);
  }

  addHardCase(record: HardCaseRecord): void {
    this.hardCases.push(record);
  }

  hardCaseTruth(record: HardCaseRecord): TruthHardCase {
    const t = record.tracker;
    return {
      id: t.id,
      tag: t.tag,
      display: t.display,
      kind: record.kind,
      ...t.spanIso(),
      authors: record.authors,
      authorCount: t.authors.size,
      postCount: t.count,
      postIds: t.postIds,
    };
  }

  campaignTruth(record: CampaignRecord): TruthCampaign {
    const t = record.tracker;
    return {
      id: t.id,
      tag: t.tag,
      display: t.display,
      style: record.style,
      target: record.target,
      ...t.spanIso(),
      members: [...t.authors].sort(),
      sources: record.sources,
      postCount: t.count,
      postIds: t.postIds,
      params: record.params,
    };
  }
}
