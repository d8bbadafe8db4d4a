import { describe, expect, it } from 'vitest';
import {
  CoordinationDetector,
  LshBuckets,
  bandKeys,
  compactSignature,
  hash32,
  minhashSignature,
  samplePartners,
  scanCandidates,
  scannedCandidates,
  textShingles,
  textTokens,
  tokenSignature,
  type TextEntry,
  type TextSignatureStore,
} from '../../../src/stream/coordination/index.ts';
import { hash32Pair, pairKey } from '../../../src/stream/coordination/seeded-hash.ts';
import { T0, randomText, rng, run, tagEvent } from './tag-event-builder.ts';

/**
 * The fast paths of the coordination detector against the straightforward versions they replace:
 * they must give the same tokens, signatures, LSH candidates (in the same order) and partner
 * samples, since flags depend on them.
 */

const URL_PATTERN = /\b(?:https?:\/\/|www\.)\S+/giu;
const HANDLE_OR_TAG = /[@#$]\S+/gu;
const NON_WORD = /[^\p{L}\p{M}\p{Nd}]+/gu;

function referenceTokens(text: string): string[] {
  const cleaned = text.normalize('NFKC').toLowerCase().replace(URL_PATTERN, ' ').replace(HANDLE_OR_TAG, ' ').replace(NON_WORD, ' ').trim();
  return cleaned.length === 0 ? [] : cleaned.split(' ');
}

// Pieces that exercise every rule: URL prefixes in both cases, word boundaries ('_' is a word char),
// handles with and without a following char, whitespace of every kind, composed and decomposed
// accents, compatibility characters NFKC rewrites, emoji.
const PIECES = [
  'a', 'B', 'z', '0', '9', '_', '@', '#', '$', ' ', '\t', '\n', '\u000b', '\u001f', '\u00a0', '\u3000', '\u2028',
  '.', '/', ':', '-', '(', '"', '!', 'h', 't', 'p', 's', 'w', 'W', 'H', 'http://', 'https://', 'www.', 'HTTPS://', 'Www.',
  '\u00e9', 'e\u0301', '\ufb01', '\uff21', '\u017f', '\u212a', '\u00e4', '\u{1F4AF}', 'word', 'Leak',
];

describe('textTokens fast paths', () => {
  it('give the tokens of the three regex replaces on ASCII and Unicode texts', () => {
    const random = rng(7);
    for (let k = 0; k < 20_000; k++) {
      let text = '';
      const n = 1 + Math.floor(random() * 18);
      for (let j = 0; j < n; j++) text += PIECES[Math.floor(random() * PIECES.length)] as string;
      expect(textTokens(text), JSON.stringify(text)).toEqual(referenceTokens(text));
    }
  });

  it('strip URLs only after a word boundary and with something after the prefix', () => {
    expect(textTokens('see _www.example.org and www. and xhttp://a.b now')).toEqual(referenceTokens('see _www.example.org and www. and xhttp://a.b now'));
    expect(textTokens('Grüße von https://x.co/a @bob #Tag $X ok')).toEqual(['grüße', 'von', 'ok']);
  });
});

describe('tokenSignature', () => {
  it('equals the MinHash of the unigram + bigram shingle set', () => {
    const random = rng(11);
    for (let k = 0; k < 300; k++) {
      const tokens = textTokens(`${randomText(random, 3 + Math.floor(random() * 20))} Müller naïve ${k}`);
      const shingles = textShingles(tokens);
      const expected = compactSignature(shingles, 64);
      expect(tokenSignature(tokens, 64)).toEqual(expected);
      expect(minhashSignature(shingles, 64).map((v) => v & 0xff)).toEqual([...expected]);
    }
  });
});

describe('hash32Pair and samplePartners', () => {
  it('hash a pair like hash32 of its key', () => {
    for (const [a, b] of [['alice', 'bob'], ['bob', 'alice'], ['x', 'xy'], ['', 'z'], ['ünï', 'côdé'], ['a1', 'a1b']] as const) {
      expect(hash32Pair(a, b, 0x6a09e667)).toBe(hash32(pairKey(a, b), 0x6a09e667));
    }
  });

  it('keeps the partners with the lowest pair hash, as a full sort would', () => {
    const random = rng(3);
    for (let k = 0; k < 50; k++) {
      const partners = new Set<string>();
      const size = 1 + Math.floor(random() * 80);
      while (partners.size < size) partners.add(`acct-${Math.floor(random() * 500)}`);
      const expected =
        partners.size <= 24
          ? [...partners]
          : [...partners]
              .map((other) => ({ other, h: hash32(pairKey('me', other), 0x6a09e667) }))
              .sort((x, y) => x.h - y.h || (x.other < y.other ? -1 : 1))
              .slice(0, 24)
              .map((x) => x.other);
      expect(samplePartners('me', partners, 24)).toEqual(expected);
    }
  });
});

/** LSH buckets as they were: removal on drop, latest `max` per bucket, read band by band, oldest first. */
class ReferenceBuckets {
  readonly #buckets = new Map<number, number[]>();
  constructor(readonly max: number) {}
  add(key: number, id: number): void {
    const bucket = this.#buckets.get(key) ?? [];
    bucket.push(id);
    if (bucket.length > this.max) bucket.shift();
    this.#buckets.set(key, bucket);
  }
  remove(key: number, id: number): void {
    const bucket = this.#buckets.get(key);
    if (bucket === undefined) return;
    const at = bucket.indexOf(id);
    if (at !== -1) bucket.splice(at, 1);
    if (bucket.length === 0) this.#buckets.delete(key);
  }
  get(key: number): readonly number[] {
    return this.#buckets.get(key) ?? [];
  }
  get size(): number {
    return this.#buckets.size;
  }
}

describe('LSH candidates without bucket maps', () => {
  for (const [bands, rows, max] of [
    [16, 4, 24],
    [16, 2, 8],
    [8, 3, 2],
  ] as const) {
    it(`scanning the store returns the bucket candidates in bucket order (${bands} × ${rows}, ${max} per bucket)`, () => {
      const random = rng(bands * 100 + rows * 10 + max);
      const capacity = 60;
      const entries: TextEntry[] = [];
      const store = { get size() { return entries.length; }, at: (i: number) => entries[i] as TextEntry } as unknown as TextSignatureStore;
      const reference = new ReferenceBuckets(max);
      const lazy = new LshBuckets(max);
      /** Gone ids trimmed as their texts leave (what the indexes do): must hold exactly what removals leave. */
      const trimmed = new LshBuckets(max);
      for (let id = 0; id < 600; id++) {
        // Values from a tiny alphabet, so that bands match often and buckets overflow.
        const signature = Uint8Array.from({ length: 64 }, () => Math.floor(random() * 2));
        const entry: TextEntry = { id, ts: T0 + id, author: `a${id % 7}`, post: `p${id}`, signature, group: -1 };
        entries.push(entry);
        const keys = bandKeys(signature, bands, rows);
        const expected: number[] = [];
        for (const key of keys) for (const other of reference.get(key)) if (!expected.includes(other)) expected.push(other);
        const oldest = (entries[0] as TextEntry).id;
        const fromLazy: number[] = [];
        for (const key of keys) for (const other of lazy.get(key)) if (other >= oldest && !fromLazy.includes(other)) fromLazy.push(other);
        const count = scanCandidates(store, entry, bands, rows, max);
        const scannedIds = Array.from({ length: count }, (_, i) => (scannedCandidates()[i] as TextEntry).id);
        expect(scannedIds).toEqual(expected);
        expect(fromLazy).toEqual(expected);
        for (const key of keys) expect(trimmed.get(key)).toEqual(reference.get(key));
        expect(trimmed.size).toBe(reference.size);
        for (const key of keys) {
          reference.add(key, id);
          lazy.add(key, id);
          trimmed.add(key, id);
        }
        while (entries.length > capacity) {
          const dropped = entries.shift() as TextEntry;
          const stillStored = (entries[0] as TextEntry).id;
          for (const key of bandKeys(dropped.signature, bands, rows)) {
            reference.remove(key, dropped.id);
            trimmed.trim(key, stillStored);
          }
        }
        trimmed.compact();
      }
    });
  }
});

describe('the detector across the scan / bucket switch', () => {
  it('gives the same flags whether a tag is fed in one go or restored in the middle', () => {
    // One tag growing past the scan limit (buckets built), then shrinking (buckets dropped).
    const random = rng(5);
    const events = Array.from({ length: 160 }, (_, i) =>
      tagEvent('switch', { id: `s${i}`, author: `u${i % 23}`, ts: T0 + i * 20_000 + (i > 100 ? 4 * 3_600_000 : 0), text: randomText(random, 6 + (i % 5)), ageDays: 10, followers: 5 }),
    );
    const whole = run(new CoordinationDetector(), events);
    const first = new CoordinationDetector();
    const half = run(first, events.slice(0, 80), 60_000, false);
    const second = new CoordinationDetector();
    second.restore('switch', JSON.parse(JSON.stringify(first.snapshot('switch'))));
    const rest = run(second, events.slice(80));
    expect([...half, ...rest]).toEqual(whole);
  });

  it('reports the bytes it holds, growing with what a tag keeps', () => {
    const detector = new CoordinationDetector();
    expect(detector.bytes()).toBe(0);
    detector.observe(tagEvent('bytes', { id: 'b0', author: 'u0', ts: T0, text: 'one two three four five six' }));
    const once = detector.bytes();
    expect(once).toBeGreaterThan(300);
    const random = rng(9);
    for (let i = 1; i < 50; i++) detector.observe(tagEvent('bytes', { id: `b${i}`, author: `u${i % 9}`, ts: T0 + i * 1_000, text: randomText(random, 8) }));
    expect(detector.bytes()).toBeGreaterThan(once + 50 * 200);
    detector.evict('bytes');
    expect(detector.bytes()).toBe(0);
  });
});
