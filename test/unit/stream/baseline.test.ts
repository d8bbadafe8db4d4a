import { describe, expect, it } from 'vitest';
import { MINUTE, PriorOptionsSchema, VelocityOptionsSchema } from '../../../src/stream/options.ts';
import { PopulationPrior } from '../../../src/stream/population-prior.ts';
import { VelocityTracker } from '../../../src/stream/velocity-tracker.ts';
import { createTagStateRowMapper } from '../../../src/store/sink/tag-state-rows.ts';
import { T0 } from './stream-fixtures.ts';

const HOUR = 60 * MINUTE;

describe('velocity baseline and population prior', () => {
  it('floors the variance at the Poisson level of the mean', () => {
    const v = new VelocityTracker(VelocityOptionsSchema.parse({}), { mean: 4, variance: 0.01 });
    expect(v.std(0.1)).toBeCloseTo(2, 12);
    const quiet = new VelocityTracker(VelocityOptionsSchema.parse({}), { mean: 0, variance: 0 });
    expect(quiet.std(0.25)).toBeCloseTo(0.5, 12);
  });

  it('converges on a constant rate and replays empty minutes after a gap', () => {
    const v = new VelocityTracker(VelocityOptionsSchema.parse({}), { mean: 0.1, variance: 0.2 });
    for (let m = 0; m < 600; m++) v.close(T0 + m * MINUTE, 10, 0.1);
    expect(v.mean).toBeGreaterThan(9.5);
    expect(v.velocity).toBeCloseTo(10, 6);
    const afterGap = v.close(T0 + 700 * MINUTE, 10, 0.1);
    // 99 empty minutes pulled the baseline down before this minute was scored.
    expect(afterGap.baselineMean).toBeLessThan(9.5);
  });

  it('a tag already active at stream start takes its first minutes as its level', () => {
    const v = new VelocityTracker(VelocityOptionsSchema.parse({}), undefined);
    const counts = [50, 40, 60, 45, 55];
    for (const [m, posts] of counts.entries()) {
      expect(v.ready).toBe(false);
      expect(v.close(T0 + m * MINUTE, posts, 0.02).zscore).toBe(0);
    }
    expect(v.ready).toBe(true);
    expect(v.mean).toBeCloseTo(50, 12);
    expect(Math.abs(v.close(T0 + 5 * MINUTE, 52, 0.02).zscore)).toBeLessThan(1);
  });

  it('learns the new-tag prior as the median first-hour posts of recent births, at epoch boundaries', () => {
    const prior = new PopulationPrior(PriorOptionsSchema.parse({ minTags: 10 }));
    expect(prior.meanPerMinute).toBeCloseTo(1 / 60, 12);
    for (let i = 0; i < 30; i++) prior.record(T0 + i * 1_000, i < 20 ? 3 : 40);
    prior.advance(T0 + 30 * MINUTE);
    // Births of an epoch count once their first hour is over and the epoch after it has ended.
    expect(prior.meanPerMinute).toBeCloseTo(1 / 60, 12);
    prior.advance(T0 + 3 * HOUR);
    expect(prior.meanPerMinute).toBeCloseTo(3 / 60, 12);
    const copy = new PopulationPrior(PriorOptionsSchema.parse({ minTags: 10 }));
    copy.restore(JSON.parse(JSON.stringify(prior.toJSON())));
    copy.advance(T0 + 3 * HOUR);
    expect(copy.meanPerMinute).toBe(prior.meanPerMinute);
  });
});

describe('tag_state row mapper', () => {
  it('maps a checkpoint and a tombstone with strictly increasing versions', () => {
    const toRow = createTagStateRowMapper();
    const a = toRow({ tag: 'leak', state: { v: 1 } }, 'leak', T0);
    const b = toRow(null, 'leak', T0);
    expect(a).toMatchObject({ tag: 'leak', state: '{"v":1}', deleted: 0, checkpointed_at: '2017-05-05 18:00:00.000' });
    expect(b).toMatchObject({ tag: 'leak', state: '', deleted: 1 });
    expect(Number(b['version'])).toBeGreaterThan(Number(a['version']));
    expect(() => toRow({ tag: '', state: {} }, '', T0)).toThrow(/without a tag/);
  });
});
