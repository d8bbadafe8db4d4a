import type { PostInput } from '../../model/index.ts';
import { placeTags, toRef } from '../post-factory.ts';
import type { SeededRandom } from '../seeded-random.ts';
import type { SimWorld } from '../sim-world.ts';
import { spellTag, type VocabularyTag } from '../tag-vocabulary.ts';
import { randomEmoji } from '../text-composer.ts';
import type { EventTracker } from '../truth.ts';
import type { PostRef, SimAccount } from '../types.ts';
import { ScriptedActor, type ScriptStep } from './scripted-actor.ts';

export interface HyperactiveStep extends ScriptStep {
  account: SimAccount;
}

export interface HyperactiveContent {
  /** Texts the accounts rotate through. */
  variants: readonly string[];
  lang: string;
  /** Share of posts that repost a fellow account's latest post. */
  repostShare: number;
}

/** A few accounts pushing a tag at a machine-regular cadence, rotating a handful of texts. */
export class HyperactiveActor extends ScriptedActor<HyperactiveStep> {
  private latest: PostRef | undefined;
  private rotation = 0;

  constructor(
    world: SimWorld,
    steps: HyperactiveStep[],
    tracker: EventTracker,
    private readonly tag: VocabularyTag,
    private readonly content: HyperactiveContent,
    private readonly rng: SeededRandom,
  ) {
    super(world, steps, tracker);
  }

  protected perform(step: HyperactiveStep, ts: number): PostInput {
    const { rng, content } = this;
    const latest = this.latest;
    if (latest !== undefined && latest.author !== step.account && rng.chance(content.repostShare)) {
      return this.world.posts.repost(step.account, ts, latest);
    }
    const variant = content.variants[this.rotation++ % content.variants.length] as string;
    const spellings = [spellTag(this.tag, rng)];
    const placed = placeTags(rng, rng.chance(0.3) ? `${variant} ${randomEmoji(rng)}` : variant, spellings, false);
    const post = this.world.posts.make(step.account, ts, placed.text, 'original', { lang: content.lang });
    this.latest = toRef(post, ts, step.account, spellings);
    return post;
  }
}
