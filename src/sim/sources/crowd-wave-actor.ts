import type { PostInput } from '../../model/index.ts';
import { placeTags, toRef } from '../post-factory.ts';
import { nextPoissonTime, type RateCurve } from '../rate-curve.ts';
import { popularityCopies, RecentPosts } from '../recent-posts.ts';
import type { SeededRandom } from '../seeded-random.ts';
import type { SimWorld } from '../sim-world.ts';
import { spellTag, type VocabularyTag } from '../tag-vocabulary.ts';
import { composeReaction } from '../text-composer.ts';
import type { EventTracker } from '../truth.ts';
import type { PostRef, SimAccount, SimActor } from '../types.ts';

export interface CrowdWaveSpec {
  tag: VocabularyTag;
  curve: RateCurve;
  /** Who writes the next post (diverse organic accounts). */
  pickAuthor: (rng: SeededRandom) => SimAccount;
  repostShare: number;
  replyShare: number;
  quoteShare: number;
  /** The body of an original post, without the event's tag. */
  composeText: (rng: SeededRandom, author: SimAccount) => string;
  /** Other tags that sometimes come along (#News, #Live…). */
  companionTags?: readonly VocabularyTag[];
  /** Language of a post, when not the author's. */
  langOf?: (rng: SeededRandom, author: SimAccount) => string;
  tracker: EventTracker;
  /** Reposts pick a parent from this pool; shared when several actors feed one conversation. */
  pool?: RecentPosts;
  /** Extra copies in the pool per original, on top of the author's popularity. */
  poolBoost?: number;
  /** Seen for every post (scenario statistics). */
  onPost?: (post: PostInput, ts: number, author: SimAccount) => void;
}

/**
 * A crowd taking up one tag: a Poisson stream following a rate curve, by many diverse accounts,
 * with varied texts and reposts of the crowd's own earlier posts. Breaking news, a live event
 * and the organic part of a scenario's tag are all crowds with different curves.
 */
export class CrowdWaveActor implements SimActor {
  readonly pool: RecentPosts;

  constructor(
    private readonly world: SimWorld,
    private readonly spec: CrowdWaveSpec,
    private readonly rng: SeededRandom,
  ) {
    this.pool = spec.pool ?? new RecentPosts(4_096);
  }

  start(): void {
    this.world.schedule(nextPoissonTime(this.spec.curve, this.spec.curve.startTs - 1, this.world.endTs, this.rng), this);
  }

  act(ts: number): PostInput {
    const post = this.produce(ts);
    this.world.schedule(nextPoissonTime(this.spec.curve, ts, this.world.endTs, this.rng), this);
    return post;
  }

  private produce(ts: number): PostInput {
    const { spec, rng } = this;
    const author = spec.pickAuthor(rng);
    const u = rng.next();
    let post: PostInput | null = null;
    if (u < spec.repostShare + spec.replyShare + spec.quoteShare) {
      const parent = this.pool.pick(rng);
      if (parent !== undefined && parent.author !== author) post = this.respond(author, ts, parent, u);
    }
    post ??= this.original(author, ts);
    spec.tracker.add(post, ts);
    spec.onPost?.(post, ts, author);
    return post;
  }

  private respond(author: SimAccount, ts: number, parent: PostRef, u: number): PostInput {
    const { spec, rng } = this;
    if (u < spec.repostShare) return this.world.posts.repost(author, ts, parent);
    const reply = u < spec.repostShare + spec.replyShare;
    const lang = spec.langOf?.(rng, author) ?? author.lang;
    const body = composeReaction(rng, author.lang);
    // Replies and quotes in a crowd keep the tag, or they would not be part of the tag's story.
    const spellings = [spellTag(spec.tag, rng)];
    const placed = placeTags(rng, reply ? `@${parent.author.handle} ${body}` : body, spellings, false);
    const post = this.world.posts.make(author, ts, placed.text, reply ? 'reply' : 'quote', { lang, parentId: parent.id });
    if (!reply) this.pool.add(toRef(post, ts, author, spellings));
    return post;
  }

  private original(author: SimAccount, ts: number): PostInput {
    const { spec, rng } = this;
    const spellings = [spellTag(spec.tag, rng)];
    if (spec.companionTags !== undefined && spec.companionTags.length > 0 && rng.chance(0.3)) {
      spellings.push(spellTag(rng.pick(spec.companionTags), rng));
    }
    const placed = placeTags(rng, spec.composeText(rng, author), spellings, rng.chance(0.05));
    const post = this.world.posts.make(author, ts, placed.text, 'original', {
      tags: placed.tags,
      lang: spec.langOf?.(rng, author) ?? author.lang,
    });
    this.pool.add(toRef(post, ts, author, spellings), popularityCopies(author.followers) + (spec.poolBoost ?? 0));
    return post;
  }
}
