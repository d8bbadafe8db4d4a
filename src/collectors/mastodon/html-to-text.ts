/**
 * Mastodon's `content` is sanitized HTML (p, br, a, span, and a few inline and block tags).
 * This turns it into the plain text people read: paragraphs separated by a blank line, line
 * breaks kept, tags dropped, entities decoded, links spelled out in full (Mastodon hides
 * `https://` and long tails in `invisible` spans that a browser does not show but that belong
 * to the URL).
 */
import type { HtmlText } from './types.ts';

const BLOCK_TAGS = new Set(['p', 'div', 'blockquote', 'pre', 'ul', 'ol', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6']);
const NAMED_ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: '\u00a0',
  hellip: '…',
  laquo: '«',
  raquo: '»',
  mdash: '—',
  ndash: '–',
  lsquo: '‘',
  rsquo: '’',
  ldquo: '“',
  rdquo: '”',
};

const TOKEN = /<!--[\s\S]*?-->|<\/?([a-zA-Z][a-zA-Z0-9]*)((?:[^>"']|"[^"]*"|'[^']*')*)>|[^<]+|</g;
const ATTRIBUTE = /([a-zA-Z_:][-a-zA-Z0-9_:.]*)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))/g;

export function decodeEntities(text: string): string {
  return text.replace(/&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z][a-zA-Z0-9]{1,31});/g, (whole, body: string) => {
    if (body.startsWith('#')) {
      const code = body[1] === 'x' || body[1] === 'X' ? Number.parseInt(body.slice(2), 16) : Number.parseInt(body.slice(1), 10);
      return code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff) ? String.fromCodePoint(code) : whole;
    }
    return NAMED_ENTITIES[body] ?? whole;
  });
}

function attributes(source: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of source.matchAll(ATTRIBUTE)) {
    const name = (m[1] ?? '').toLowerCase();
    out.set(name, decodeEntities(m[2] ?? m[3] ?? m[4] ?? ''));
  }
  return out;
}

export function htmlToText(html: string): HtmlText {
  let text = '';
  const links: string[] = [];
  const seenLinks = new Set<string>();
  // Pending separator before the next text: '' | '\n' | '\n\n' (the strongest one wins).
  let separator = '';
  const breakLine = (s: '\n' | '\n\n'): void => {
    if (text.length === 0) return;
    if (s.length > separator.length) separator = s;
  };
  for (const m of html.matchAll(TOKEN)) {
    const token = m[0];
    const tag = m[1]?.toLowerCase();
    if (token.startsWith('<!--')) continue;
    if (tag === undefined) {
      const piece = decodeEntities(token === '<' ? '<' : token.replace(/[\r\n\t ]+/g, ' '));
      // Whitespace between blocks (source formatting) is not content.
      if (piece.trim() === '' && (separator !== '' || text === '' || text.endsWith('\n'))) continue;
      if (separator !== '') {
        text = text.replace(/ +$/, '') + separator;
        separator = '';
      }
      text += text.endsWith('\n') ? piece.replace(/^ +/, '') : piece;
      continue;
    }
    const closing = token.startsWith('</');
    if (tag === 'br') breakLine('\n');
    else if (tag === 'li') breakLine('\n');
    else if (BLOCK_TAGS.has(tag)) breakLine('\n\n');
    else if (tag === 'a' && !closing) {
      const attrs = attributes(m[2] ?? '');
      const href = attrs.get('href');
      const classes = (attrs.get('class') ?? '').split(/\s+/);
      const rel = (attrs.get('rel') ?? '').split(/\s+/);
      if (href !== undefined && !classes.includes('mention') && !classes.includes('hashtag') && !rel.includes('tag') && /^https?:\/\//i.test(href)) {
        if (!seenLinks.has(href)) {
          seenLinks.add(href);
          links.push(href);
        }
      }
    }
  }
  return { text: text.replace(/[ \u00a0]+$/g, '').trim(), links };
}
