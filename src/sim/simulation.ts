import type { PostInput } from '../model/index.ts';
import { ClosedError, ErrorCodes } from '../errors/index.ts';
import { planDefaultScenario } from './default-scenario.ts';
import type { Startable } from './types.ts';
import { planMacronleaksScenario } from './macronleaks-scenario.ts';
import { resolveSimOptions, type ResolvedSimOptions, type SimOptionsInput } from './options.ts';
import { SimWorld } from './sim-world.ts';
import type { Truth, TruthBurst } from './truth.ts';

export interface SimulationProgress {
  posts: number;
  /** Event time of the latest post, epoch ms. */
  eventTs: number;
  /** Share of the simulated span covered so far (0..1). */
  fraction: number;
}

/**
 * One deterministic simulation: plans its world from the options (accounts, tags, hard cases,
 * campaigns), then yields posts in event-time order from `posts()` — streaming, never holding
 * the stream in memory. `truth()` describes what was generated, once the stream has ended.
 */
export class Simulation implements Iterable<PostInput> {
  readonly options: ResolvedSimOptions;
  private readonly world: SimWorld;
  private started = false;
  private finished = false;
  private emitted = 0;
  private lastTs = 0;
  // Author objects are shared per account, so identity counts accounts without hashing ids.
  private readonly authors = new Set<object>();
  private readonly kinds = { original: 0, repost: 0, reply: 0, quote: 0 };

  constructor(input: SimOptionsInput) {
    this.options = resolveSimOptions(input);
    this.world = new SimWorld(this.options);
    const actors: Startable[] = this.options.scenario === 'macronleaks' ? planMacronleaksScenario(this.world) : planDefaultScenario(this.world);
    for (const actor of actors) actor.start();
  }

  get startTs(): number {
    return this.world.startTs;
  }

  get endTs(): number {
    return this.world.endTs;
  }

  progress(): SimulationProgress {
    const span = this.world.endTs - this.world.startTs;
    const fraction = this.finished ? 1 : this.emitted === 0 ? 0 : Math.min(1, (this.lastTs - this.world.startTs) / span);
    return { posts: this.emitted, eventTs: this.lastTs, fraction };
  }

  [Symbol.iterator](): Generator<PostInput, void, undefined> {
    return this.posts();
  }

  /** The stream, sorted by `createdAt`. A simulation runs once: a second call throws. */
  *posts(): Generator<PostInput, void, undefined> {
    if (this.started) throw new ClosedError(ErrorCodes.CLOSED, 'a simulation can be iterated only once; create another with the same seed');
    this.started = true;
    const queue = this.world.queue;
    const endTs = this.world.endTs;
    const kinds = this.kinds;
    for (;;) {
      const action = queue.pop();
      if (action === undefined || action.ts >= endTs) break;
      const post = action.actor.act(action.ts, action.arg);
      if (post === null) continue;
      this.emitted++;
      this.lastTs = action.ts;
      this.authors.add(post.author);
      kinds[post.kind]++;
      yield post;
    }
    this.finished = true;
  }

  truth(): Truth {
    if (!this.finished) throw new ClosedError(ErrorCodes.CLOSED, 'the truth is known only once the stream has been read to the end');
    const w = this.world;
    const o = this.options;
    const bursts: TruthBurst[] = [];
    for (const h of w.hardCases) {
      const b = h.burstCandidate ? h.tracker.burst('organic', o.truth.burstMinPerMin, o.truth.burstBaselineFactor) : null;
      if (b !== null) bursts.push(b);
    }
    for (const c of w.campaigns) {
      if (c.burstCandidate === false) continue;
      const b = c.tracker.burst('campaign', o.truth.burstMinPerMin, o.truth.burstBaselineFactor);
      if (b !== null) bursts.push(b);
    }
    if (w.extraBursts !== undefined) bursts.push(...w.extraBursts());
    bursts.sort((a, b) => (a.onset < b.onset ? -1 : a.onset > b.onset ? 1 : 0));
    const truth: Truth = {
      version: 1,
      seed: o.seed,
      scenario: o.scenario,
      platform: o.platform,
      start: new Date(w.startTs).toISOString(),
      end: new Date(w.endTs).toISOString(),
      options: o,
      stats: { posts: this.emitted, accounts: this.authors.size, originals: this.kinds.original, reposts: this.kinds.repost, replies: this.kinds.reply, quotes: this.kinds.quote },
      campaigns: w.campaigns.filter((c) => c.tracker.count > 0).map((c) => w.campaignTruth(c)),
      hardCases: w.hardCases.filter((h) => h.tracker.count > 0).map((h) => w.hardCaseTruth(h)),
      bursts,
    };
    if (w.figures !== undefined) truth.macronleaks = w.figures();
    return truth;
  }
}

/** The posts of a simulation, for callers that do not need the truth. */
export function* simulatePosts(input: SimOptionsInput): Generator<PostInput, void, undefined> {
  yield* new Simulation(input).posts();
}
