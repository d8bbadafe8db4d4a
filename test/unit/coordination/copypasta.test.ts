import { describe, expect, it } from 'vitest';
import {
  CoordinationDetector,
  CopypastaIndex,
  CopypastaOptionsSchema,
  TextOptionsSchema,
  TextSignatureStore,
  minhashSignature,
  signatureSimilarity,
  textShingles,
  textTokens,
} from '../../../src/stream/coordination/index.ts';
import { T0, coordinated, latest, ordered, organicPosts, run, tagEvent } from './tag-event-builder.ts';

const BASE = 'They covered up the leaked emails and the media will not report it share everywhere now';
const EDITS = [
  BASE,
  'They covered up the leaked emails and the media will NOT report it share everywhere now',
  'They covered up the leaked emails and media will not report it share everywhere now',
  'They covered up the leaked emails and the media will not report it folks share everywhere now',
  'They covered up the leaked mails and the media will not report it share everywhere now',
  'They covered the up leaked emails and the media will not report it share everywhere now',
];

describe('text shingles', () => {
  it('strips URLs, mentions and tags before comparing', () => {
    expect(textTokens('Look @alice at https://x.co/a?b=1#frag this #Leak NOW, www.example.org ok!')).toEqual(['look', 'at', 'this', 'now', 'ok']);
  });

  it('keeps words and their order as unigrams and bigrams', () => {
    expect([...textShingles(['a', 'b', 'c'])]).toEqual(['a', 'a b', 'b', 'b c', 'c']);
  });
});

describe('MinHash', () => {
  it('estimates Jaccard similarity within a few hundredths', () => {
    const a = textShingles(textTokens(EDITS[0] as string));
    const b = textShingles(textTokens(EDITS[3] as string));
    const inter = [...a].filter((s) => b.has(s)).length;
    const jaccard = inter / (a.size + b.size - inter);
    const estimate = signatureSimilarity(minhashSignature(a, 256), minhashSignature(b, 256));
    expect(Math.abs(estimate - jaccard)).toBeLessThan(0.08);
  });

  it('is deterministic', () => {
    const s = textShingles(textTokens(BASE));
    expect(minhashSignature(s, 64)).toEqual(minhashSignature(s, 64));
  });
});

describe('CopypastaIndex', () => {
  const options = CopypastaOptionsSchema.parse({});
  const textOptions = TextOptionsSchema.parse({});

  function index(): { store: TextSignatureStore; copypasta: CopypastaIndex; add: (text: string, author: string, post: string, ts: number) => number | undefined } {
    const store = new TextSignatureStore(textOptions);
    const copypasta = new CopypastaIndex(options, store);
    return {
      store,
      copypasta,
      add: (text, author, post, ts) => {
        const added = store.add(text, author, post, ts);
        if (added === undefined) return undefined;
        copypasta.forget(added.dropped);
        return copypasta.add(added.entry, text)?.id ?? -1;
      },
    };
  }

  it('puts one-word edits of a text in one group and unrelated texts apart', () => {
    const { copypasta, add } = index();
    const groups = EDITS.map((text, i) => add(text, `u${i}`, `p${i}`, T0 + i * 1000));
    // The first text has no group until the second matches it; then all join the same one.
    expect(groups[0]).toBe(-1);
    expect(new Set(groups.slice(1)).size).toBe(1);
    const other = add('A completely different sentence about the weather and a walk in the park today', 'x', 'px', T0 + 10_000);
    expect(other).toBe(-1);
    const group = copypasta.groups.get(groups[1] as number);
    expect(group?.authors.size).toBe(EDITS.length);
    expect(group?.samplePosts[0]).toBe('p0');
  });

  it('ignores texts too short to compare', () => {
    const { add } = index();
    expect(add('wow #tag https://x.co', 'u', 'p', T0)).toBeUndefined();
  });

  it('forgets groups after the window, and the store forgets the texts', () => {
    const { store, copypasta, add } = index();
    add(BASE, 'u1', 'p1', T0);
    add(BASE, 'u2', 'p2', T0 + 1);
    expect(copypasta.groups.size).toBe(1);
    copypasta.expire(T0 + options.windowMs + 1);
    copypasta.forget(store.expire(T0 + options.windowMs + 1));
    expect(copypasta.groups.size).toBe(0);
    expect(store.size).toBe(0);
  });

  it('keeps at most maxSignatures texts, dropping the oldest', () => {
    const store = new TextSignatureStore(TextOptionsSchema.parse({ maxSignatures: 16 }));
    for (let i = 0; i < 40; i++) store.add(`${BASE} number ${i}`, `u${i}`, `p${i}`, T0 + i);
    expect(store.size).toBe(16);
    expect(store.oldestId).toBe(24);
  });
});

describe('copy-pasta in the detector', () => {
  it('flags young accounts posting near-identical texts, naming them', () => {
    const events = ordered([
      ...organicPosts('leak', 1, 200, 30 * 60_000),
      ...Array.from({ length: 12 }, (_, i) =>
        tagEvent('leak', { id: `c${i}`, author: `young-${i}`, ts: T0 + 5 * 60_000 + i * 20_000, text: EDITS[i % EDITS.length] as string, ageDays: 5, followers: 3 }),
      ),
    ]);
    const flags = latest(coordinated(run(new CoordinationDetector(), events)));
    expect(flags).toHaveLength(1);
    const flag = flags[0]!;
    expect(flag.authors).toEqual(Array.from({ length: 12 }, (_, i) => `young-${i}`).sort());
    expect(flag.signals['copypasta_accounts']).toBe(12);
    const evidence = JSON.parse(flag.evidence) as { summary: string };
    expect(evidence.summary).toMatch(/^12 accounts, 100% created in the last 30 days/);
    expect(evidence.summary).toContain('near-identical text');
  });

  it('does not flag two accounts sharing a text (below the minimum)', () => {
    const events = ordered([
      ...organicPosts('leak', 2, 100, 30 * 60_000),
      tagEvent('leak', { id: 'c1', author: 'y1', ts: T0 + 60_000, text: BASE, ageDays: 5, followers: 1 }),
      tagEvent('leak', { id: 'c2', author: 'y2', ts: T0 + 70_000, text: BASE, ageDays: 5, followers: 1 }),
    ]);
    expect(coordinated(run(new CoordinationDetector(), events))).toEqual([]);
  });

  it('does not treat reposts, which carry their parent text, as copy-pasta', () => {
    const events = ordered([
      tagEvent('leak', { id: 'src', author: 'src', ts: T0, text: BASE }),
      ...Array.from({ length: 40 }, (_, i) =>
        tagEvent('leak', { id: `r${i}`, author: `fan-${i}`, ts: T0 + 30_000 + i * 7_000, text: BASE, kind: 'repost', parentId: 'src' }),
      ),
    ]);
    expect(coordinated(run(new CoordinationDetector(), events))).toEqual([]);
  });

  it('does not flag one account posting the same text again and again', () => {
    const events = ordered([
      ...organicPosts('leak', 3, 100, 60 * 60_000),
      ...Array.from({ length: 30 }, (_, i) => tagEvent('leak', { id: `s${i}`, author: 'spammer', ts: T0 + i * 97_000 + (i % 3) * 20_000, text: BASE, ageDays: 2, followers: 0 })),
    ]);
    expect(coordinated(run(new CoordinationDetector(), events))).toEqual([]);
  });
});
