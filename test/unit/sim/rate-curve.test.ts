import { describe, expect, it } from 'vitest';
import { DiurnalRate, nextPoissonTime, PiecewiseRate } from '../../../src/sim/rate-curve.ts';
import { SeededRandom } from '../../../src/sim/seeded-random.ts';
import { EventTracker } from '../../../src/sim/truth.ts';

const MIN = 60_000;
const T0 = Date.parse('2024-01-01T00:00:00Z');

describe('PiecewiseRate', () => {
  const ramp = new PiecewiseRate([
    [T0, 0],
    [T0 + 10 * MIN, 10],
    [T0 + 20 * MIN, 10],
  ]);

  it('interpolates, is zero outside, and integrates by trapezoids', () => {
    expect(ramp.at(T0 + 5 * MIN)).toBeCloseTo(5);
    expect(ramp.at(T0 - 1)).toBe(0);
    expect(ramp.at(T0 + 21 * MIN)).toBe(0);
    expect(ramp.integral()).toBeCloseTo(150);
  });

  it('rejects unsorted points', () => {
    expect(() => new PiecewiseRate([[T0 + MIN, 1], [T0, 1]])).toThrow(/sorted/);
  });

  it('samples a fixed number of times that follow the curve', () => {
    const times = ramp.sampleTimes(new SeededRandom(1), 1_500);
    expect(times).toHaveLength(1_500);
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    // 50 of 150 expected posts fall in the ramp: a third.
    expect(times.filter((t) => t < T0 + 10 * MIN).length).toBeCloseTo(500, -1);
  });

  it('drives a Poisson process at the curve’s rate', () => {
    const rng = new SeededRandom(2);
    const busy = ramp.scaled(100);
    let n = 0;
    for (let t = nextPoissonTime(busy, T0, T0 + 30 * MIN, rng); Number.isFinite(t); t = nextPoissonTime(busy, t, T0 + 30 * MIN, rng)) n++;
    expect(n).toBeGreaterThan(15_000 * 0.97);
    expect(n).toBeLessThan(15_000 * 1.03);
  });
});

describe('DiurnalRate', () => {
  it('peaks at the configured hour and averages the mean over a day', () => {
    const d = new DiurnalRate(100, 0.5, 18, T0, T0 + 24 * 60 * MIN);
    expect(d.at(T0 + 18 * 60 * MIN)).toBeCloseTo(150);
    expect(d.at(T0 + 6 * 60 * MIN)).toBeCloseTo(50);
    let sum = 0;
    for (let m = 0; m < 24 * 60; m++) sum += d.at(T0 + m * MIN);
    expect(sum / (24 * 60)).toBeCloseTo(100);
  });
});

describe('EventTracker.burst', () => {
  const post = (id: string, author: string) => ({ platform: 'sim', id, author: { id: author }, createdAt: '', text: '', kind: 'original' as const });

  it('puts the onset at the start of the first 5-minute window reaching the threshold', () => {
    const tracker = new EventTracker('e1', 'tag', 'Tag', 0, 10);
    // 1 post/min for 10 minutes, then 20/min for 5 minutes.
    let i = 0;
    for (let m = 0; m < 10; m++) tracker.add(post(`p${i++}`, 'a'), T0 + m * MIN + 1_000);
    for (let m = 10; m < 15; m++) for (let k = 0; k < 20; k++) tracker.add(post(`p${i++}`, `u${k}`), T0 + m * MIN + k * 1_000);
    const burst = tracker.burst('organic', 5, 3)!;
    expect(burst.peakPerMin).toBe(20);
    expect(burst.thresholdPerMin).toBe(5);
    // The first window averaging ≥ 5/min is minutes 7–11 (3 + 40 posts); its first minute with ≥ 5 posts is minute 10.
    expect(Date.parse(burst.onset)).toBe(T0 + 10 * MIN);
    expect(burst.start).toBe(new Date(T0 + 1_000).toISOString());
    expect(tracker.postIds).toHaveLength(10);
    expect(tracker.authors.size).toBe(21);
  });

  it('reports no burst when the event never clears its baseline', () => {
    const tracker = new EventTracker('e2', 'tag', 'Tag', 10, 10);
    for (let k = 0; k < 100; k++) tracker.add(post(`q${k}`, `u${k}`), T0 + k * 6_000);
    expect(tracker.burst('campaign', 5, 3)).toBeNull();
  });
});
