import type { PostInput } from '../../model/index.ts';
import type { SimWorld } from '../sim-world.ts';
import type { EventTracker } from '../truth.ts';
import type { SimActor } from '../types.ts';

export interface ScriptStep {
  /** Event time, epoch ms. */
  ts: number;
}

/**
 * An actor whose timing and cast were planned up front (a campaign's waves, a cascade's delays):
 * it walks its sorted steps one at a time, writing each post's content only when it is due, so
 * reposts can point at posts that now exist.
 */
export abstract class ScriptedActor<S extends ScriptStep> implements SimActor {
  protected readonly steps: S[];

  constructor(
    protected readonly world: SimWorld,
    steps: S[],
    protected readonly tracker: EventTracker,
  ) {
    for (const step of steps) step.ts = Math.floor(step.ts);
    this.steps = steps.filter((s) => s.ts >= world.startTs && s.ts < world.endTs).sort((a, b) => a.ts - b.ts);
  }

  get plannedPosts(): number {
    return this.steps.length;
  }

  start(): void {
    const first = this.steps[0];
    if (first !== undefined) this.world.schedule(first.ts, this, 0);
  }

  act(ts: number, index: number): PostInput | null {
    const step = this.steps[index] as S;
    const post = this.perform(step, ts);
    if (post !== null) this.trackerFor(step).add(post, ts);
    const next = this.steps[index + 1];
    if (next !== undefined) this.world.schedule(next.ts, this, index + 1);
    return post;
  }

  /** The event a step's post belongs to (one event per actor, unless a subclass mixes them). */
  protected trackerFor(_step: S): EventTracker {
    return this.tracker;
  }

  protected abstract perform(step: S, ts: number): PostInput | null;
}
