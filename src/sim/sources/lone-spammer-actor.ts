import type { PostInput } from '../../model/index.ts';
import { placeTags } from '../post-factory.ts';
import type { SeededRandom } from '../seeded-random.ts';
import type { SimWorld } from '../sim-world.ts';
import { spellTag, type VocabularyTag } from '../tag-vocabulary.ts';
import { randomEmoji } from '../text-composer.ts';
import type { EventTracker } from '../truth.ts';
import type { SimAccount } from '../types.ts';
import { ScriptedActor, type ScriptStep } from './scripted-actor.ts';

const PROMOS: readonly string[] = [
  'Get 1000 followers fast, link in bio',
  'Free crypto giveaway, claim yours now',
  'Best deals of the day, only a few left',
  'Earn money from home, DM me to start',
  'New drop just landed, shop before it sells out',
  'Win a brand new phone, just follow and share',
];

/** One account hammering a tag with the same promotion: spam, but not coordination. */
export class LoneSpammerActor extends ScriptedActor<ScriptStep> {
  private readonly promo: string;
  private readonly url: string;

  constructor(
    world: SimWorld,
    steps: ScriptStep[],
    tracker: EventTracker,
    private readonly account: SimAccount,
    private readonly tag: VocabularyTag,
    private readonly rng: SeededRandom,
  ) {
    super(world, steps, tracker);
    this.promo = rng.pick(PROMOS);
    this.url = `https://shop.example.com/p/${rng.uint32().toString(36)}`;
  }

  protected perform(_step: ScriptStep, ts: number): PostInput {
    const rng = this.rng;
    const text = `${randomEmoji(rng)} ${this.promo} ${rng.int(1, 99)}% off ${this.url}`;
    const placed = placeTags(rng, text, [spellTag(this.tag, rng)], false);
    return this.world.posts.make(this.account, ts, placed.text, 'original', { lang: 'en', urls: [this.url] });
  }
}
