import type { SeededRandom } from './seeded-random.ts';
import type { SimWorld } from './sim-world.ts';
import { MINUTE_MS } from './types.ts';

/**
 * Where an event of a drawn duration fits in the span: not in the first minutes (detectors need a
 * baseline), shortened when the span is too short to hold it.
 */
export function placeEvent(world: SimWorld, rng: SeededRandom, durationMs: number): { t0: number; durationMs: number } {
  const span = world.endTs - world.startTs;
  const warm = Math.min(20 * MINUTE_MS, 0.1 * span);
  const available = span - warm;
  // Too long for the span: shorten it to a random part of the span, so events still start at varied times.
  const d = Math.max(MINUTE_MS, durationMs <= 0.9 * available ? durationMs : available * rng.float(0.35, 0.9));
  const t0 = world.startTs + warm + rng.next() * Math.max(0, available - d);
  return { t0: Math.floor(t0), durationMs: Math.floor(d) };
}
