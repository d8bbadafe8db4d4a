import type { PostInput } from '../../model/index.ts';
import { AliasTable } from '../alias-table.ts';
import type { BackgroundOptions } from '../options.ts';
import { placeTags, toRef } from '../post-factory.ts';
import { DiurnalRate, nextPoissonTime } from '../rate-curve.ts';
import { popularityCopies, RecentPosts } from '../recent-posts.ts';
import type { SeededRandom } from '../seeded-random.ts';
import type { SimWorld } from '../sim-world.ts';
import { spellTag } from '../tag-vocabulary.ts';
import { composeOrganicText, composeReaction, randomEmoji, randomUrl } from '../text-composer.ts';
import type { SimAccount, SimActor } from '../types.ts';

/** Expected tags per organic post (reposts copy their parent's; some replies and quotes carry one). */
export function meanTagsPerPost(options: BackgroundOptions): number {
  const w = options.tagCountWeights;
  const total = w.reduce((a, b) => a + b, 0) || 1;
  const meanOriginal = w.reduce((sum, x, k) => sum + (x / total) * k, 0);
  const original = Math.max(0, 1 - options.repostShare - options.replyShare - options.quoteShare);
  return meanOriginal * (original + options.repostShare) + 0.3 * options.replyShare + 0.5 * options.quoteShare;
}

/**
 * The organic background: a diurnal Poisson stream of posts by heavy-tailed accounts, with Zipf
 * tags, reposts of recent posts (preferring well-followed authors), replies and quotes.
 */
export class BackgroundActor implements SimActor {
  readonly curve: DiurnalRate;
  private readonly authors: AliasTable;
  private readonly recent = new RecentPosts(8_192);
  private readonly tagCountCdf: number[];
  readonly meanTagsPerPost: number;

  constructor(
    private readonly world: SimWorld,
    private readonly options: BackgroundOptions,
    private readonly accounts: readonly SimAccount[],
    activity: ArrayLike<number>,
    ratePerMin: number,
    private readonly rng: SeededRandom,
  ) {
    this.curve = new DiurnalRate(ratePerMin, options.diurnalAmplitude, options.peakHourUtc, world.startTs, world.endTs);
    this.authors = new AliasTable(activity);
    const w = options.tagCountWeights;
    const total = w.reduce((a, b) => a + b, 0) || 1;
    let acc = 0;
    this.tagCountCdf = w.map((x) => (acc += x / total));
    this.meanTagsPerPost = meanTagsPerPost(options);
  }

  start(): void {
    this.world.schedule(nextPoissonTime(this.curve, this.world.startTs, this.world.endTs, this.rng), this);
  }

  /** Expected organic posts per minute carrying `tag` at `ts`. */
  tagRatePerMin(tag: string, ts: number): number {
    return this.curve.at(ts) * this.meanTagsPerPost * this.world.vocabulary.shareOf(tag);
  }

  act(ts: number): PostInput {
    const post = this.produce(ts);
    this.world.schedule(nextPoissonTime(this.curve, ts, this.world.endTs, this.rng), this);
    return post;
  }

  private produce(ts: number): PostInput {
    const rng = this.rng;
    const o = this.options;
    const author = this.accounts[this.authors.sample(rng)] as SimAccount;
    const u = rng.next();
    if (u < o.repostShare + o.replyShare + o.quoteShare) {
      const parent = this.recent.pick(rng);
      if (parent !== undefined && parent.author !== author) {
        if (u < o.repostShare) return this.world.posts.repost(author, ts, parent);
        const reply = u < o.repostShare + o.replyShare;
        const spellings = parent.spellings.length > 0 && rng.chance(reply ? 0.3 : 0.5) ? [rng.pick(parent.spellings)] : [];
        const body = reply ? `@${parent.author.handle} ${composeReaction(rng, author.lang)}` : composeReaction(rng, author.lang);
        const placed = placeTags(rng, body, spellings, false);
        const post = this.world.posts.make(author, ts, placed.text, reply ? 'reply' : 'quote', {
          lang: author.lang,
          parentId: parent.id,
        });
        // Quotes (and some replies) are reposted and answered in turn: cascades get deeper than one hop.
        if (!reply || rng.chance(0.3)) this.recent.add(toRef(post, ts, author, spellings));
        return post;
      }
    }
    return this.original(author, ts);
  }

  private original(author: SimAccount, ts: number): PostInput {
    const rng = this.rng;
    const o = this.options;
    const vocab = this.world.vocabulary;
    const count = this.drawTagCount();
    const spellings: string[] = [];
    const seen: number[] = [];
    for (let i = 0; i < count; i++) {
      const t = vocab.sample(rng);
      if (seen.includes(t)) continue;
      seen.push(t);
      spellings.push(spellTag(vocab.get(t), rng));
    }
    let text = composeOrganicText(rng, author.lang);
    if (rng.chance(o.mentionShare)) {
      const other = this.accounts[this.authors.sample(rng)] as SimAccount;
      text = rng.chance(0.5) ? `@${other.handle} ${text}` : `${text} @${other.handle}`;
    }
    if (rng.chance(o.emojiShare)) text = `${text} ${randomEmoji(rng)}`;
    let urls: string[] | undefined;
    if (rng.chance(o.urlShare)) {
      const url = randomUrl(rng);
      text = `${text} ${url}`;
      urls = [url];
    }
    const placed = placeTags(rng, text, spellings, rng.chance(o.tagsFieldShare));
    const post = this.world.posts.make(author, ts, placed.text, 'original', {
      tags: placed.tags,
      lang: rng.chance(0.97) ? author.lang : undefined,
      urls,
    });
    this.recent.add(toRef(post, ts, author, spellings), popularityCopies(author.followers));
    return post;
  }

  private drawTagCount(): number {
    const u = this.rng.next();
    const cdf = this.tagCountCdf;
    for (let k = 0; k < cdf.length; k++) if (u < (cdf[k] as number)) return k;
    return cdf.length - 1;
  }
}
