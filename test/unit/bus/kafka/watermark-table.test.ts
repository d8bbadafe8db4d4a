import { describe, expect, it } from 'vitest';
import { WatermarkTable } from '../../../../src/bus/kafka/index.ts';

describe('WatermarkTable', () => {
  it('with a known number of sources: unknown until all have spoken, then their minimum', () => {
    const t = new WatermarkTable();
    expect(t.apply({ source: 'posts/0', ts: 100, of: 3 })).toBe(false);
    expect(t.apply({ source: 'posts/1', ts: 50, of: 3 })).toBe(false);
    expect(t.watermark()).toBeUndefined();
    expect(t.apply({ source: 'posts/2', ts: 70, of: 3 })).toBe(true);
    expect(t.watermark()).toBe(50);
    // posts/0 moving on does not move the minimum; posts/1 does.
    expect(t.apply({ source: 'posts/0', ts: 200, of: 3 })).toBe(false);
    expect(t.apply({ source: 'posts/1', ts: 90, of: 3 })).toBe(true);
    expect(t.watermark()).toBe(70);
  });

  it('never goes back: an older marker from a source (a replayed batch) changes nothing', () => {
    const t = new WatermarkTable();
    t.apply({ source: 'posts/0', ts: 100, of: 1 });
    expect(t.apply({ source: 'posts/0', ts: 40, of: 1 })).toBe(false);
    expect(t.watermark()).toBe(100);
  });

  it('collector sources (of = 0): the newest word wins', () => {
    const t = new WatermarkTable();
    t.apply({ source: 'collector.a', ts: 100, of: 0 });
    t.apply({ source: 'collector.b', ts: 30, of: 0 });
    expect(t.watermark()).toBe(100);
  });

  it('survives the round trip through offset commit metadata', () => {
    const t = new WatermarkTable();
    t.apply({ source: 'posts/0', ts: 100, of: 2 });
    t.apply({ source: 'posts/1', ts: 120, of: 2 });
    const back = WatermarkTable.parse(t.serialize());
    expect(back.watermark()).toBe(100);
    expect(WatermarkTable.parse(null).watermark()).toBeUndefined();
    expect(WatermarkTable.parse('not json').watermark()).toBeUndefined();
  });

  it('keeps the earliest stream start it was told, through the metadata round trip', () => {
    const t = new WatermarkTable();
    expect(t.start()).toBeUndefined();
    t.apply({ source: 'posts/0', ts: 100, of: 2, start: 40 });
    t.apply({ source: 'posts/1', ts: 120, of: 2, start: 30 });
    t.apply({ source: 'posts/1', ts: 130, of: 2 });
    expect(t.start()).toBe(30);
    expect(WatermarkTable.parse(t.serialize()).start()).toBe(30);
  });
});
