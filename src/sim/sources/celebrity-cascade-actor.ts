import type { PostInput } from '../../model/index.ts';
import { placeTags, toRef } from '../post-factory.ts';
import type { SeededRandom } from '../seeded-random.ts';
import type { SimWorld } from '../sim-world.ts';
import { spellTag, type VocabularyTag } from '../tag-vocabulary.ts';
import { composeOrganicText, composeReaction, randomEmoji } from '../text-composer.ts';
import type { EventTracker } from '../truth.ts';
import type { PostRef, SimAccount } from '../types.ts';
import { ScriptedActor, type ScriptStep } from './scripted-actor.ts';

export interface CascadeStep extends ScriptStep {
  account: SimAccount;
  kind: 'root' | 'repost' | 'reply' | 'quote';
}

/** One post by a very well-followed account, then thousands of fans reposting it within minutes. */
export class CelebrityCascadeActor extends ScriptedActor<CascadeStep> {
  private root: PostRef | undefined;

  constructor(
    world: SimWorld,
    steps: CascadeStep[],
    tracker: EventTracker,
    private readonly tag: VocabularyTag,
    private readonly rng: SeededRandom,
  ) {
    super(world, steps, tracker);
  }

  protected perform(step: CascadeStep, ts: number): PostInput | null {
    const rng = this.rng;
    const author = step.account;
    if (step.kind === 'root') {
      const spellings = [this.tag.display];
      const placed = placeTags(rng, `${composeOrganicText(rng, author.lang)} ${randomEmoji(rng)}${randomEmoji(rng)}`, spellings, false);
      const post = this.world.posts.make(author, ts, placed.text, 'original', { lang: author.lang });
      this.root = toRef(post, ts, author, spellings);
      return post;
    }
    const root = this.root;
    if (root === undefined) return null;
    if (step.kind === 'repost') return this.world.posts.repost(author, ts, root);
    const body = composeReaction(rng, author.lang);
    const placed = placeTags(rng, step.kind === 'reply' ? `@${root.author.handle} ${body}` : body, [spellTag(this.tag, rng)], false);
    return this.world.posts.make(author, ts, placed.text, step.kind, { lang: author.lang, parentId: root.id });
  }
}
