import type { PostInput } from '../../model/index.ts';
import type { CampaignPhraseBook } from '../content/campaign-phrases.ts';
import { placeTags, toRef } from '../post-factory.ts';
import type { SeededRandom } from '../seeded-random.ts';
import type { SimWorld } from '../sim-world.ts';
import { spellTag, type VocabularyTag } from '../tag-vocabulary.ts';
import { composeParaphrase, randomUrl } from '../text-composer.ts';
import type { EventTracker } from '../truth.ts';
import type { PostRef, SimAccount } from '../types.ts';
import { ScriptedActor, type ScriptStep } from './scripted-actor.ts';

export interface RingStep extends ScriptStep {
  account: SimAccount;
  /** Which source post this step writes (`seed`) or amplifies (`repost`, `quote`). */
  seedPost: number;
  kind: 'seed' | 'repost' | 'quote';
}

export interface RingContent {
  book: CampaignPhraseBook;
  subject: string;
  lang: string;
  /** Overrides the source post's text (a scenario's own wording). */
  composeSeed?: (rng: SeededRandom) => string;
  /** Overrides the source post's link. */
  seedUrl?: (rng: SeededRandom) => string;
}

/** A ring of accounts reposting a few source accounts' posts within seconds, post after post. */
export class RepostRingActor extends ScriptedActor<RingStep> {
  private readonly seeds = new Map<number, PostRef>();

  constructor(
    world: SimWorld,
    steps: RingStep[],
    tracker: EventTracker,
    private readonly tag: VocabularyTag,
    private readonly content: RingContent,
    private readonly rng: SeededRandom,
    /** Called with each source post, so other actors (a scenario's crowd) can repost it too. */
    private readonly onSeed?: (ref: PostRef) => void,
  ) {
    super(world, steps, tracker);
  }

  protected perform(step: RingStep, ts: number): PostInput | null {
    const { rng, content } = this;
    if (step.kind === 'seed') {
      const spellings = [spellTag(this.tag, rng)];
      const url = content.seedUrl ? content.seedUrl(rng) : randomUrl(rng);
      const body = content.composeSeed ? content.composeSeed(rng) : composeParaphrase(rng, content.book, content.subject);
      const placed = placeTags(rng, `${body} ${url}`, spellings, false);
      const post = this.world.posts.make(step.account, ts, placed.text, 'original', { lang: content.lang, urls: [url] });
      const ref = toRef(post, ts, step.account, spellings);
      this.seeds.set(step.seedPost, ref);
      this.onSeed?.(ref);
      return post;
    }
    const seed = this.seeds.get(step.seedPost);
    if (seed === undefined) return null;
    if (step.kind === 'repost') return this.world.posts.repost(step.account, ts, seed);
    const placed = placeTags(rng, rng.pick(content.book.slots[content.book.slots.length - 1] ?? ['!']), [spellTag(this.tag, rng)], false);
    return this.world.posts.make(step.account, ts, placed.text, 'quote', { lang: content.lang, parentId: seed.id });
  }
}
