/**
 * Hashtag normalization lives here and nowhere else: every stage, collector and query
 * compares tags in this stored form, so two spellings of one tag are one tag everywhere.
 */

/** Longest tag body kept, in code points (X allows 139; longer runs are not hashtags). */
export const MAX_TAG_LENGTH = 139;

const TAG_CHAR = /[\p{L}\p{M}\p{Nd}_]/u;
const TAG_START = /[\p{L}\p{Nd}_]/u;
const HAS_NON_DIGIT = /[\p{L}\p{M}_]/u;
const ALL_TAG_CHARS = /^[\p{L}\p{M}\p{Nd}_]+$/u;
// A '#' glued to a word, an entity (&#39;) or another tag is not the start of a hashtag.
const BLOCKS_HASH_BEFORE = /[\p{L}\p{M}\p{Nd}_&#/]/u;
// URLs carry '#fragment's that are not hashtags; they are blanked out before scanning.
const URL_PATTERN = /\b(?:https?:\/\/|www\.)[^\s<>"]+/giu;
const COMBINING_DOT_ABOVE = /(?<=i)\u0307/gu;

export interface TagSpelling {
  /** Stored form: NFKC, case-folded, without '#': `macronleaks`. */
  tag: string;
  /** Display form: NFKC, original case, without '#': `MacronLeaks`. */
  display: string;
}

/**
 * Full case folding approximated by upper- then lower-casing (ß→ss, ς→σ), and the Turkish
 * dotted capital İ folded to plain i so that #İstanbul and #istanbul are one tag.
 */
function caseFold(s: string): string {
  return s.toUpperCase().toLowerCase().replace(COMBINING_DOT_ABOVE, '').normalize('NFKC');
}

/**
 * Normalizes one tag given on its own (with or without '#' or '＃'); returns null when it is
 * not a valid hashtag (empty, all digits, illegal characters, too long).
 */
export function normalizeTag(raw: string): TagSpelling | null {
  let display = raw.normalize('NFKC').trim();
  // NFKC already maps the full-width '＃' to '#'.
  while (display.startsWith('#')) display = display.slice(1);
  if (display.length === 0 || !ALL_TAG_CHARS.test(display)) return null;
  return validSpelling(display);
}

function validSpelling(display: string): TagSpelling | null {
  const first = String.fromCodePoint(display.codePointAt(0) ?? 0);
  if (!TAG_START.test(first) || !HAS_NON_DIGIT.test(display)) return null;
  if ([...display].length > MAX_TAG_LENGTH) return null;
  const tag = caseFold(display);
  if (tag.length === 0) return null;
  return { tag, display };
}

/** Extracts hashtags from free text, in order of first appearance, without duplicates. */
export function extractTags(text: string): TagSpelling[] {
  const normalized = text.normalize('NFKC').replace(URL_PATTERN, (url) => ' '.repeat(url.length));
  const found: TagSpelling[] = [];
  const seen = new Set<string>();
  let i = normalized.indexOf('#');
  while (i !== -1) {
    const before = i > 0 ? lastCodePoint(normalized, i) : '';
    let end = i + 1;
    if (before === '' || !BLOCKS_HASH_BEFORE.test(before)) {
      while (end < normalized.length) {
        const cp = normalized.codePointAt(end) ?? 0;
        const ch = String.fromCodePoint(cp);
        if (!TAG_CHAR.test(ch)) break;
        end += ch.length;
      }
      if (end > i + 1) {
        const spelling = validSpelling(normalized.slice(i + 1, end));
        if (spelling !== null && !seen.has(spelling.tag)) {
          seen.add(spelling.tag);
          found.push(spelling);
        }
      }
    }
    i = normalized.indexOf('#', end);
  }
  return found;
}

function lastCodePoint(s: string, index: number): string {
  const code = s.charCodeAt(index - 1);
  if (code >= 0xdc00 && code <= 0xdfff && index >= 2) return s.slice(index - 2, index);
  return s.slice(index - 1, index);
}

/**
 * The tags of a post: the explicit list when the source gave one (each normalized, invalid
 * ones dropped), otherwise those found in the text.
 */
export function resolveTags(text: string, explicit: readonly string[] | undefined): TagSpelling[] {
  if (explicit === undefined) return extractTags(text);
  const out: TagSpelling[] = [];
  const seen = new Set<string>();
  for (const raw of explicit) {
    const spelling = normalizeTag(raw);
    if (spelling !== null && !seen.has(spelling.tag)) {
      seen.add(spelling.tag);
      out.push(spelling);
    }
  }
  return out;
}
