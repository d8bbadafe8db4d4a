import type { PostInput } from '../../model/index.ts';
import type { CampaignPhraseBook } from '../content/campaign-phrases.ts';
import { placeTags } from '../post-factory.ts';
import type { SeededRandom } from '../seeded-random.ts';
import type { SimWorld } from '../sim-world.ts';
import { spellTag, type VocabularyTag } from '../tag-vocabulary.ts';
import { editCopy } from '../text-composer.ts';
import type { EventTracker } from '../truth.ts';
import type { SimAccount } from '../types.ts';
import { ScriptedActor, type ScriptStep } from './scripted-actor.ts';

export interface CopypastaStep extends ScriptStep {
  account: SimAccount;
  template: number;
}

export interface CopypastaContent {
  templates: readonly string[];
  book: CampaignPhraseBook;
  lang: string;
  /** Language of each template, when they differ (defaults to `lang`). */
  templateLangs?: readonly string[];
  /** Expected word edits per copy (Poisson mean). */
  editRate: number;
  /** Emojis each copy shuffles and takes a few of. */
  emojis: readonly string[];
  /** Accounts the copies mention (shuffled, some left out). */
  mentions: readonly string[];
  /** The link every copy carries, when the campaign uses one. */
  url: string | undefined;
}

/** Near-identical texts by (mostly young) accounts: one base text, small edits, shuffled decorations. */
export class CopypastaActor extends ScriptedActor<CopypastaStep> {
  constructor(
    world: SimWorld,
    steps: CopypastaStep[],
    tracker: EventTracker,
    private readonly tag: VocabularyTag,
    private readonly content: CopypastaContent,
    private readonly rng: SeededRandom,
  ) {
    super(world, steps, tracker);
  }

  protected perform(step: CopypastaStep, ts: number): PostInput {
    const { rng, content } = this;
    const which = step.template % content.templates.length;
    const base = content.templates[which] as string;
    let text = editCopy(rng, base, rng.poisson(content.editRate), content.book.fillers);
    const mentions = rng.shuffle([...content.mentions]).filter(() => rng.chance(0.7));
    if (mentions.length > 0) {
      const tagged = mentions.map((h) => `@${h}`).join(' ');
      text = rng.chance(0.5) ? `${tagged} ${text}` : `${text} ${tagged}`;
    }
    const emojis = rng.sample(content.emojis, rng.int(0, Math.min(3, content.emojis.length))).join('');
    if (emojis !== '') text = rng.chance(0.5) ? `${emojis} ${text}` : `${text} ${emojis}`;
    let urls: string[] | undefined;
    if (content.url !== undefined) {
      const url = rng.chance(0.5) ? content.url : `${content.url}?s=${rng.int(10, 99)}`;
      text = `${text} ${url}`;
      urls = [url];
    }
    const placed = placeTags(rng, text, [spellTag(this.tag, rng)], false);
    return this.world.posts.make(step.account, ts, placed.text, 'original', { lang: content.templateLangs?.[which] ?? content.lang, urls });
  }
}
