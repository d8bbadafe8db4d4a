import { describe, expect, it } from 'vitest';
import {
  CopypastaIndex,
  CopypastaOptionsSchema,
  LshBuckets,
  ParaphraseLinker,
  ParaphraseOptionsSchema,
  TextOptionsSchema,
  TextSignatureStore,
} from '../../../src/stream/coordination/index.ts';
import { T0, randomText, rng } from './tag-event-builder.ts';

/**
 * The LSH bucket maps of a tag must follow its stored texts, not the texts it ever saw: a soak of
 * hours at a few thousand posts a minute grew them by ~25 MB an event-hour when the keys of gone
 * texts stayed (and V8 Map tables do not shrink below what they once held).
 */
describe('LSH bucket maps stay bounded by the stored texts', () => {
  it('keeps at most bands × stored texts keys through thousands of texts on one tag', () => {
    const store = new TextSignatureStore(TextOptionsSchema.parse({ maxSignatures: 60 }));
    const copypastaOptions = CopypastaOptionsSchema.parse({});
    const paraphraseOptions = ParaphraseOptionsSchema.parse({});
    const copypasta = new CopypastaIndex(copypastaOptions, store);
    const paraphrase = new ParaphraseLinker(paraphraseOptions, copypastaOptions.similarity, store);
    const random = rng(42);
    let indexed = 0;
    for (let i = 0; i < 4_000; i++) {
      const text = randomText(random, 8 + (i % 7));
      const added = store.add(text, `a${i % 37}`, `p${i}`, T0 + i * 1_000);
      if (added === undefined) continue;
      copypasta.forget(added.dropped);
      paraphrase.forget(added.dropped);
      copypasta.add(added.entry, text);
      paraphrase.add(added.entry);
      expect(copypasta.bucketKeys).toBeLessThanOrEqual(copypastaOptions.bands * store.size);
      expect(paraphrase.bucketKeys).toBeLessThanOrEqual(paraphraseOptions.bands * store.size);
      if (copypasta.bucketKeys > 0) indexed++;
    }
    // The store was full most of the time, so the bounds above were checked on the bucket maps.
    expect(store.size).toBe(60);
    expect(indexed).toBeGreaterThan(3_000);
  });

  it('trims gone ids off the front of buckets, deletes emptied keys, and rebuilds a map that shrank', () => {
    const buckets = new LshBuckets(4);
    // 2,000 texts, 16 keys each: every key distinct, plus one shared key all of them fall into.
    for (let id = 0; id < 2_000; id++) {
      for (let band = 0; band < 16; band++) buckets.add(id * 16 + band, id);
      buckets.add(-1, id);
    }
    expect(buckets.size).toBe(2_000 * 16 + 1);
    expect(buckets.get(-1)).toEqual([1_996, 1_997, 1_998, 1_999]);
    // All but the last 10 texts leave the store.
    const oldest = 1_990;
    for (let id = 0; id < oldest; id++) {
      for (let band = 0; band < 16; band++) buckets.trim(id * 16 + band, oldest);
      buckets.trim(-1, oldest);
    }
    expect(buckets.size).toBe(10 * 16 + 1);
    expect(buckets.get(-1)).toEqual([1_996, 1_997, 1_998, 1_999]);
    expect(buckets.peak).toBe(2_000 * 16 + 1);
    buckets.compact();
    expect(buckets.peak).toBe(10 * 16 + 1);
    // Partly gone buckets keep their live ids, oldest first; a single survivor reads as one id.
    buckets.trim(-1, 1_998);
    expect(buckets.get(-1)).toEqual([1_998, 1_999]);
    buckets.trim(-1, 1_999);
    expect(buckets.raw(-1)).toBe(1_999);
    buckets.add(-1, 2_000);
    expect(buckets.get(-1)).toEqual([1_999, 2_000]);
  });
});
