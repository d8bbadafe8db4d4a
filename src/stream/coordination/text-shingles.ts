const URL_PATTERN = /\b(?:https?:\/\/|www\.)\S+/giu;
// Mentions, hashtags and cashtags are stripped: copy-pasta is about the text around them.
const HANDLE_OR_TAG = /[@#$]\S+/gu;
const NON_WORD = /[^\p{L}\p{M}\p{Nd}]+/gu;

/** The words of a post's own text, lower-cased, without URLs, mentions and tags. */
export function textTokens(text: string): string[] {
  return asciiTokens(text) ?? unicodeTokens(text);
}

// Without URLs, stripping handles and splitting on non-word runs is one left-to-right pass.
const HANDLE_OR_TOKEN = /[@#$]\S+|([\p{L}\p{M}\p{Nd}]+)/gu;

function unicodeTokens(text: string): string[] {
  const lower = text.normalize('NFKC').toLowerCase();
  if (!lower.includes('http') && !lower.includes('www.')) {
    const tokens: string[] = [];
    HANDLE_OR_TOKEN.lastIndex = 0;
    for (let m = HANDLE_OR_TOKEN.exec(lower); m !== null; m = HANDLE_OR_TOKEN.exec(lower)) {
      const token = m[1];
      if (token !== undefined) tokens.push(token);
    }
    return tokens;
  }
  const cleaned = lower.replace(URL_PATTERN, ' ').replace(HANDLE_OR_TAG, ' ').replace(NON_WORD, ' ').trim();
  return cleaned.length === 0 ? [] : cleaned.split(' ');
}

// ASCII classes of the patterns above. JS whitespace in ASCII: \t \n \v \f \r and space.
const WHITESPACE = 1;
// \w of the URL pattern's word boundary: [A-Za-z0-9_].
const BOUNDARY_WORD = 2;
// \p{L} \p{M} \p{Nd} in ASCII: letters and digits.
const TOKEN = 4;
const HANDLE = 8;
const ASCII_CLASS = new Uint8Array(128);
for (const c of [9, 10, 11, 12, 13, 32]) ASCII_CLASS[c] = WHITESPACE;
for (let c = 48; c <= 57; c++) ASCII_CLASS[c] = BOUNDARY_WORD | TOKEN;
for (let c = 65; c <= 90; c++) ASCII_CLASS[c] = BOUNDARY_WORD | TOKEN;
for (let c = 97; c <= 122; c++) ASCII_CLASS[c] = BOUNDARY_WORD | TOKEN;
ASCII_CLASS[95] = BOUNDARY_WORD;
for (const c of [64, 35, 36]) ASCII_CLASS[c] = HANDLE;

/**
 * The same tokens as the three replaces, in one pass, for an ASCII text (NFKC leaves ASCII as it
 * is): within each run of non-whitespace, everything from the first URL start (`http://`,
 * `https://` or `www.` after a word boundary) or the first `@ # $` followed by a non-space is
 * dropped; what precedes it splits into runs of letters and digits. Undefined when the text is not
 * ASCII.
 */
function asciiTokens(text: string): string[] | undefined {
  const length = text.length;
  const tokens: string[] = [];
  let start = -1;
  let i = 0;
  while (i < length) {
    const c = text.charCodeAt(i);
    if (c >= 128) return undefined;
    const cls = ASCII_CLASS[c] as number;
    if ((cls & TOKEN) !== 0) {
      // Inside a token the previous char is a word char: a URL can only start a token.
      if (start < 0) {
        if ((i === 0 || ((ASCII_CLASS[text.charCodeAt(i - 1)] as number) & BOUNDARY_WORD) === 0) && startsUrl(text, i)) {
          i = skipRun(text, i);
          if (i < 0) return undefined;
          continue;
        }
        start = i;
      }
      i++;
      continue;
    }
    if (start >= 0) {
      tokens.push(text.slice(start, i).toLowerCase());
      start = -1;
    }
    if ((cls & HANDLE) !== 0 && i + 1 < length && (text.charCodeAt(i + 1) >= 128 || ((ASCII_CLASS[text.charCodeAt(i + 1)] as number) & WHITESPACE) === 0)) {
      i = skipRun(text, i);
      if (i < 0) return undefined;
      continue;
    }
    i++;
  }
  if (start >= 0) tokens.push(text.slice(start, length).toLowerCase());
  return tokens;
}

/** Index of the whitespace ending the run at `from` (or the length); -1 when the run is not ASCII. */
function skipRun(text: string, from: number): number {
  const length = text.length;
  let i = from;
  for (; i < length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 128) return -1;
    if (((ASCII_CLASS[c] as number) & WHITESPACE) !== 0) break;
  }
  return i;
}

/** A URL start at `at` (case-insensitive) with something after the prefix; the caller checked the word boundary before it. */
function startsUrl(text: string, at: number): boolean {
  const c = text.charCodeAt(at) | 0x20;
  if (c === 104) {
    // http:// or https://
    if (!matchLower(text, at, 'http')) return false;
    const next = at + 4;
    if (text.startsWith('://', next)) return nonSpaceAt(text, next + 3);
    return (text.charCodeAt(next) | 0x20) === 115 && text.startsWith('://', next + 1) && nonSpaceAt(text, next + 4);
  }
  if (c === 119) return matchLower(text, at, 'www.') && nonSpaceAt(text, at + 4);
  return false;
}

/** The URL pattern's `\S+`: at least one non-whitespace char after the prefix. */
function nonSpaceAt(text: string, at: number): boolean {
  if (at >= text.length) return false;
  const c = text.charCodeAt(at);
  return c >= 128 || ((ASCII_CLASS[c] as number) & WHITESPACE) === 0;
}

function matchLower(text: string, at: number, word: string): boolean {
  if (at + word.length > text.length) return false;
  for (let k = 0; k < word.length; k++) {
    const c = text.charCodeAt(at + k);
    const lower = c >= 65 && c <= 90 ? c | 0x20 : c;
    if (lower !== word.charCodeAt(k)) return false;
  }
  return true;
}

/**
 * Word unigrams and bigrams. Bigrams keep word order; unigrams keep a one-word edit in an
 * eight-word text above 0.6 Jaccard (bigrams alone would drop it to 0.55).
 */
export function textShingles(tokens: readonly string[]): Set<string> {
  const shingles = new Set<string>();
  for (let i = 0; i < tokens.length; i++) {
    const word = tokens[i] as string;
    shingles.add(word);
    if (i + 1 < tokens.length) shingles.add(`${word} ${tokens[i + 1] as string}`);
  }
  return shingles;
}
