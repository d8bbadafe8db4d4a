import { normalizeTag } from '../model/index.ts';
import { AliasTable } from './alias-table.ts';
import { COMPOUND_HEADS, COMPOUND_TAILS, FRESH_TAG_PATTERNS, FRESH_TAG_WORDS, SINGLE_TAGS } from './content/tag-words.ts';
import type { SeededRandom } from './seeded-random.ts';

export interface VocabularyTag {
  /** Stored (normalized) form. */
  tag: string;
  /** Canonical display spelling. */
  display: string;
  /** Spellings people type (case variants), all normalizing to `tag`. */
  spellings: string[];
  /** Probability that a drawn organic tag is this one. */
  share: number;
}

/**
 * The organic tag vocabulary with Zipf popularity: rank r (from 1) has weight r^-s. Which tag
 * gets which rank depends on the seed; a scenario may pin its own tags to the head.
 */
export class TagVocabulary {
  readonly tags: VocabularyTag[];
  private readonly byTag = new Map<string, number>();
  private readonly sampler: AliasTable;
  private readonly taken = new Set<string>();
  private readonly claimed = new Set<number>();

  constructor(size: number, zipfExponent: number, rng: SeededRandom, pinnedHead: readonly string[] = []) {
    const candidates = buildCandidates(rng);
    const ordered = [...pinnedHead, ...candidates];
    const tags: VocabularyTag[] = [];
    for (let i = 0; tags.length < size; i++) {
      const display = i < ordered.length ? (ordered[i] as string) : `${ordered[i % ordered.length] as string}${Math.floor(i / ordered.length) + 1}`;
      const known = spellingsOf(display);
      if (known === null || this.byTag.has(known.tag)) continue;
      this.byTag.set(known.tag, tags.length);
      tags.push({ tag: known.tag, display, spellings: known.spellings, share: 0 });
    }
    const weights = tags.map((_, r) => Math.pow(r + 1, -zipfExponent));
    const total = weights.reduce((a, b) => a + b, 0);
    tags.forEach((t, r) => (t.share = (weights[r] as number) / total));
    this.tags = tags;
    this.sampler = new AliasTable(weights);
    for (const t of tags) this.taken.add(t.tag);
  }

  sample(rng: SeededRandom): number {
    return this.sampler.sample(rng);
  }

  get(index: number): VocabularyTag {
    const tag = this.tags[index];
    if (tag === undefined) throw new RangeError(`no tag at rank ${index + 1}`);
    return tag;
  }

  /** Share of drawn organic tags that are `tag` (0 for a tag outside the vocabulary). */
  shareOf(tag: string): number {
    const i = this.byTag.get(tag);
    return i === undefined ? 0 : (this.tags[i]?.share ?? 0);
  }

  /**
   * An organic tag ranked in [minRank, maxRank] (0-based) that no other event has claimed, so
   * each campaign or hard case owns its tag and an evaluation can match flags to events by tag.
   */
  claimExisting(rng: SeededRandom, minRank: number, maxRank: number): VocabularyTag {
    const hi = Math.min(maxRank, this.tags.length - 1);
    for (let attempt = 0; attempt < 1_000; attempt++) {
      const rank = rng.int(Math.min(minRank, hi), hi);
      if (this.claimed.has(rank)) continue;
      this.claimed.add(rank);
      return this.get(rank);
    }
    throw new RangeError(`no unclaimed tag between ranks ${minRank + 1} and ${hi + 1}`);
  }

  /**
   * A tag nobody in the vocabulary (or any earlier fresh tag) uses: a campaign's new slogan or a
   * news story's name. `make` builds candidates; a counter is appended when they collide.
   */
  freshTag(rng: SeededRandom, make?: (rng: SeededRandom) => string): VocabularyTag {
    for (let attempt = 0; ; attempt++) {
      const base = make
        ? make(rng)
        : rng.pick(FRESH_TAG_PATTERNS)(rng.pick(FRESH_TAG_WORDS), rng.pick(FRESH_TAG_WORDS), rng.int(1, 99));
      const display = attempt < 20 ? base : `${base}${attempt}`;
      const spelling = normalizeTag(display);
      if (spelling === null || this.taken.has(spelling.tag)) continue;
      this.taken.add(spelling.tag);
      return { tag: spelling.tag, display, spellings: caseVariants(display, spelling.tag), share: 0 };
    }
  }
}

/**
 * Single words and compounds, shuffled, with single words over-represented near the head: the
 * most used tags are short (#News, #Music, #東京) while the long tail is made of compounds.
 */
function buildCandidates(rng: SeededRandom): string[] {
  const singles = rng.shuffle([...SINGLE_TAGS]);
  const compounds: string[] = [];
  for (const head of COMPOUND_HEADS) for (const tail of COMPOUND_TAILS) compounds.push(`${head}${tail}`);
  for (const single of SINGLE_TAGS.slice(0, 60)) compounds.push(`${single}2024`, `${single}Live`);
  rng.shuffle(compounds);
  const out: string[] = [];
  let s = 0;
  let c = 0;
  while (s < singles.length || c < compounds.length) {
    if (s < singles.length && (c >= compounds.length || rng.chance(0.4))) out.push(singles[s++] as string);
    else out.push(compounds[c++] as string);
  }
  return out;
}

const spellingCache = new Map<string, { tag: string; spellings: string[] } | null>();

/** Normalized form and case variants of a display tag, memoized: every simulation builds the same vocabulary words. */
function spellingsOf(display: string): { tag: string; spellings: string[] } | null {
  let known = spellingCache.get(display);
  if (known === undefined) {
    const spelling = normalizeTag(display);
    known = spelling === null ? null : { tag: spelling.tag, spellings: caseVariants(display, spelling.tag) };
    spellingCache.set(display, known);
  }
  return known;
}

/** Display, lower-case, upper-case and first-letter-lower spellings that still normalize to `tag`. */
function caseVariants(display: string, tag: string): string[] {
  const variants = [display];
  for (const v of [display.toLowerCase(), display.toUpperCase(), display.charAt(0).toLowerCase() + display.slice(1)]) {
    if (!variants.includes(v) && normalizeTag(v)?.tag === tag) variants.push(v);
  }
  return variants;
}

/** Picks how one post spells a tag: mostly the display form, sometimes another casing. */
export function spellTag(tag: VocabularyTag, rng: SeededRandom): string {
  const u = rng.next();
  const v = tag.spellings;
  if (u < 0.7 || v.length === 1) return tag.display;
  if (u < 0.9) return v[1] ?? tag.display;
  if (u < 0.95) return v[2] ?? tag.display;
  return v[v.length - 1] ?? tag.display;
}
