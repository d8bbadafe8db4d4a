import { CAMPAIGN_PHRASES, type CampaignPhraseBook } from './content/campaign-phrases.ts';
import { EMOJI, PHRASE_BOOKS, UNSPACED_LANGUAGES, URL_DOMAINS } from './content/organic-phrases.ts';
import type { SimLanguage } from './options.ts';
import type { SeededRandom } from './seeded-random.ts';

const SENTENCE_COUNT = [0.55, 0.9, 1] as const;

/** Organic sentences: random parts per slot plus a random detail, so posts do not repeat each other. */
export function composeOrganicText(rng: SeededRandom, lang: SimLanguage): string {
  const book = PHRASE_BOOKS[lang];
  const u = rng.next();
  const count = u < SENTENCE_COUNT[0] ? 1 : u < SENTENCE_COUNT[1] ? 2 : 3;
  const sep = UNSPACED_LANGUAGES.has(lang) ? '' : ' ';
  const sentences: string[] = [];
  for (let i = 0; i < count; i++) {
    const parts: string[] = [];
    const opener = rng.pick(book.openers);
    if (opener !== '') parts.push(opener);
    parts.push(`${rng.pick(book.subjects)}${sep}${rng.pick(book.predicates)}`);
    if (rng.chance(0.35)) parts.push(detail(rng));
    const closer = rng.pick(book.closers);
    if (closer !== '') parts.push(closer);
    sentences.push(capitalize(parts.join(sep)));
  }
  return sentences.join(sep === '' ? '。' : ' ');
}

/** A short reaction for a reply or quote, sometimes followed by an organic sentence. */
export function composeReaction(rng: SeededRandom, lang: SimLanguage): string {
  const book = PHRASE_BOOKS[lang];
  const reaction = rng.pick(book.reactions);
  return rng.chance(0.75) ? `${reaction} ${composeOrganicText(rng, lang)}` : reaction;
}

function detail(rng: SeededRandom): string {
  switch (rng.int(0, 5)) {
    case 0:
      return `${rng.int(6, 23)}:${String(rng.int(0, 59)).padStart(2, '0')}`;
    case 1:
      return `(${rng.int(1, 10)}/10)`;
    case 2:
      return `x${rng.int(2, 40)}`;
    case 3:
      return `${rng.int(2, 95)}%`;
    case 4:
      return `n°${rng.int(1, 999)}`;
    default:
      return `${rng.int(1990, 2024)}`;
  }
}

function capitalize(s: string): string {
  return s.length === 0 ? s : s.charAt(0).toUpperCase() + s.slice(1);
}

export function randomEmoji(rng: SeededRandom): string {
  return rng.pick(EMOJI);
}

export function randomUrl(rng: SeededRandom): string {
  return `https://${rng.pick(URL_DOMAINS)}/${rng.pick(['a', 'p', 'story', 'watch', 'post'])}/${rng.uint32().toString(36)}`;
}

/** A campaign's key fact, repeated by every paraphrase: a sum, a date, a count. */
export function campaignFact(rng: SeededRandom, lang: CampaignLanguage): string {
  const n = rng.int(2, 95);
  const facts: Record<CampaignLanguage, readonly string[]> = {
    en: [`(${n} million dollars)`, `(${n},000 files)`, `since ${rng.pick(['March', 'April', 'May', 'June'])} ${rng.int(1, 28)}`, `(${n} officials involved)`],
    fr: [`(${n} millions d’euros)`, `(${n} 000 fichiers)`, `depuis le ${rng.int(1, 28)} ${rng.pick(['mars', 'avril', 'mai', 'juin'])}`, `(${n} responsables impliqués)`],
    es: [`(${n} millones de euros)`, `(${n} mil archivos)`, `desde el ${rng.int(1, 28)} de ${rng.pick(['marzo', 'abril', 'mayo', 'junio'])}`, `(${n} funcionarios implicados)`],
  };
  return rng.pick(facts[lang]);
}

export type CampaignLanguage = keyof typeof CAMPAIGN_PHRASES;
export const CAMPAIGN_LANGUAGES: readonly CampaignLanguage[] = ['en', 'fr', 'es'];

/** One wording per slot, chosen once: the base text a copy-pasta campaign repeats. */
export function composeCampaignText(rng: SeededRandom, book: CampaignPhraseBook, subject: string): string {
  const parts = book.slots.map((slot) => rng.pick(slot));
  return parts.join(' ').replaceAll('{X}', subject);
}

/**
 * Paraphrase of a shared skeleton: each slot picks one of its wordings; optional slots (the
 * opener and the call to action) are sometimes left out, and the two middle sentences may swap.
 */
export function composeParaphrase(rng: SeededRandom, book: CampaignPhraseBook, subject: string, fact?: string): string {
  const slots = book.slots;
  const parts: string[] = [];
  slots.forEach((slot, i) => {
    const optional = i === 0 || i === slots.length - 1 || i === slots.length - 2;
    if (optional && rng.chance(0.35)) return;
    parts.push(rng.pick(slot));
    // The campaign's key fact (a figure, a date) survives every rewording.
    if (i === 3 && fact !== undefined) parts.push(fact);
  });
  return parts.join(' ').replaceAll('{X}', subject);
}

/**
 * A copy with small edits: `edits` operations among dropping a word, inserting a filler, swapping
 * two neighbours, changing a word's case and a one-letter typo.
 */
export function editCopy(rng: SeededRandom, text: string, edits: number, fillers: readonly string[]): string {
  if (edits <= 0) return text;
  const words = text.split(' ');
  for (let e = 0; e < edits && words.length > 3; e++) {
    const i = rng.int(1, words.length - 1);
    switch (rng.int(0, 4)) {
      case 0:
        words.splice(i, 1);
        break;
      case 1:
        words.splice(i, 0, rng.pick(fillers));
        break;
      case 2: {
        const a = words[i - 1] as string;
        words[i - 1] = words[i] as string;
        words[i] = a;
        break;
      }
      case 3:
        words[i] = (words[i] as string).toUpperCase();
        break;
      default: {
        const w = words[i] as string;
        if (w.length > 3) {
          const j = rng.int(1, w.length - 2);
          words[i] = w.slice(0, j) + w.charAt(j + 1) + w.charAt(j) + w.slice(j + 2);
        }
      }
    }
  }
  return words.join(' ');
}

export { CAMPAIGN_PHRASES };
