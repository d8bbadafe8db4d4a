import type { PostInput, PostKind } from '../model/index.ts';
import type { SeededRandom } from './seeded-random.ts';
import type { PostRef, SimAccount } from './types.ts';

export interface PostExtras {
  tags?: string[] | undefined;
  lang?: string | undefined;
  parentId?: string | undefined;
  urls?: string[] | undefined;
}

/**
 * Builds wire posts with ids that are unique across seeds and scenarios (`s7-1234`: scenario
 * letter, seed, sequence) and always increase in file order. Fields are set in one fixed order
 * so the JSON bytes are the same from run to run.
 */
export class PostFactory {
  private sequence = 0;
  private readonly idPrefix: string;
  private readonly clock = new IsoTimeFormatter();

  constructor(
    private readonly platform: string,
    scenarioLetter: string,
    seed: number,
  ) {
    this.idPrefix = `${scenarioLetter}${seed}-`;
  }

  get created(): number {
    return this.sequence;
  }

  make(author: SimAccount, ts: number, text: string, kind: PostKind, extras: PostExtras = {}): PostInput {
    const post: PostInput = {
      platform: this.platform,
      id: this.idPrefix + (this.sequence++).toString(),
      author: author.author,
      createdAt: this.clock.format(ts),
      text,
      kind,
    };
    if (extras.tags !== undefined) post.tags = extras.tags;
    if (extras.lang !== undefined) post.lang = extras.lang;
    if (extras.parentId !== undefined) post.parentId = extras.parentId;
    if (extras.urls !== undefined) post.urls = extras.urls;
    return post;
  }

  /** A repost carries its parent's text, tags, URLs and language. */
  repost(author: SimAccount, ts: number, parent: PostRef): PostInput {
    return this.make(author, ts, parent.text, 'repost', {
      tags: parent.tags,
      lang: parent.lang,
      parentId: parent.id,
      urls: parent.urls,
    });
  }
}

/**
 * `toISOString` for a stream of increasing times: the date-hour-minute prefix is formatted once
 * per minute, the seconds and milliseconds appended by hand (several times faster).
 */
export class IsoTimeFormatter {
  private minute = Number.NaN;
  private prefix = '';

  format(ts: number): string {
    const minute = Math.floor(ts / 60_000);
    if (minute !== this.minute) {
      this.minute = minute;
      // 'YYYY-MM-DDTHH:MM:'
      this.prefix = new Date(minute * 60_000).toISOString().slice(0, 17);
    }
    const inMinute = ts - minute * 60_000;
    const sec = Math.floor(inMinute / 1_000);
    const ms = Math.floor(inMinute - sec * 1_000);
    return `${this.prefix}${sec < 10 ? '0' : ''}${sec}.${ms < 10 ? '00' : ms < 100 ? '0' : ''}${ms}Z`;
  }
}

/** What a post needs to be reposted later. */
export function toRef(post: PostInput, ts: number, author: SimAccount, spellings: readonly string[]): PostRef {
  return { id: post.id, ts, text: post.text, tags: post.tags, urls: post.urls, lang: post.lang, author, spellings };
}

/**
 * Puts tag spellings into a text (`#Tag`, mostly at the end, sometimes at the start or inline) or,
 * when `viaField`, leaves the text alone and returns them as the `tags` field.
 */
export function placeTags(
  rng: SeededRandom,
  text: string,
  spellings: readonly string[],
  viaField: boolean,
): { text: string; tags: string[] | undefined } {
  if (spellings.length === 0) return { text, tags: undefined };
  if (viaField) return { text, tags: [...spellings] };
  let out = text;
  for (const spelling of spellings) {
    const hashed = `#${spelling}`;
    const u = rng.next();
    if (u < 0.68 || out.length === 0) out = out.length === 0 ? hashed : `${out} ${hashed}`;
    else if (u < 0.88) out = `${hashed} ${out}`;
    else {
      const space = out.indexOf(' ', Math.floor(out.length / 2));
      out = space === -1 ? `${out} ${hashed}` : `${out.slice(0, space)} ${hashed}${out.slice(space)}`;
    }
  }
  return { text: out, tags: undefined };
}
