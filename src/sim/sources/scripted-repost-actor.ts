import type { PostInput } from '../../model/index.ts';
import type { SimWorld } from '../sim-world.ts';
import type { EventTracker } from '../truth.ts';
import type { PostRef, SimAccount } from '../types.ts';
import { ScriptedActor, type ScriptStep } from './scripted-actor.ts';

export interface RepostStep extends ScriptStep {
  account: SimAccount;
}

/** Reposts of one post at planned times by planned accounts (a scenario's opening minutes). */
export class ScriptedRepostActor extends ScriptedActor<RepostStep> {
  constructor(
    world: SimWorld,
    steps: RepostStep[],
    tracker: EventTracker,
    /** The post to repost, once it exists. */
    private readonly parent: () => PostRef | undefined,
  ) {
    super(world, steps, tracker);
  }

  protected perform(step: RepostStep, ts: number): PostInput | null {
    const parent = this.parent();
    if (parent === undefined || parent.author === step.account) return null;
    return this.world.posts.repost(step.account, ts, parent);
  }
}
