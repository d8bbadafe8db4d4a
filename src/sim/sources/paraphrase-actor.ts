import type { PostInput } from '../../model/index.ts';
import type { CampaignPhraseBook } from '../content/campaign-phrases.ts';
import { placeTags, toRef } from '../post-factory.ts';
import { RecentPosts } from '../recent-posts.ts';
import type { SeededRandom } from '../seeded-random.ts';
import type { SimWorld } from '../sim-world.ts';
import { spellTag, type VocabularyTag } from '../tag-vocabulary.ts';
import { composeParaphrase, randomEmoji, randomUrl } from '../text-composer.ts';
import type { EventTracker } from '../truth.ts';
import type { SimAccount } from '../types.ts';
import { ScriptedActor, type ScriptStep } from './scripted-actor.ts';

export interface ParaphraseStep extends ScriptStep {
  account: SimAccount;
}

export interface ParaphraseContent {
  book: CampaignPhraseBook;
  subject: string;
  /** The key fact every paraphrase repeats. */
  fact: string;
  lang: string;
  repostShare: number;
}

/** A stealthy network: paraphrases of one skeleton, jittered timing, occasional mutual reposts. */
export class ParaphraseActor extends ScriptedActor<ParaphraseStep> {
  private readonly pool = new RecentPosts(64);

  constructor(
    world: SimWorld,
    steps: ParaphraseStep[],
    tracker: EventTracker,
    private readonly tag: VocabularyTag,
    private readonly content: ParaphraseContent,
    private readonly rng: SeededRandom,
  ) {
    super(world, steps, tracker);
  }

  protected perform(step: ParaphraseStep, ts: number): PostInput {
    const { rng, content } = this;
    if (rng.chance(content.repostShare)) {
      const parent = this.pool.pick(rng);
      if (parent !== undefined && parent.author !== step.account) return this.world.posts.repost(step.account, ts, parent);
    }
    let text = composeParaphrase(rng, content.book, content.subject, content.fact);
    if (rng.chance(0.2)) text = `${text} ${randomEmoji(rng)}`;
    let urls: string[] | undefined;
    if (rng.chance(0.25)) {
      const url = randomUrl(rng);
      text = `${text} ${url}`;
      urls = [url];
    }
    const spellings = [spellTag(this.tag, rng)];
    const placed = placeTags(rng, text, spellings, rng.chance(0.05));
    const post = this.world.posts.make(step.account, ts, placed.text, 'original', { tags: placed.tags, lang: content.lang, urls });
    this.pool.add(toRef(post, ts, step.account, spellings));
    return post;
  }
}
