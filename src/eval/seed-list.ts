import { z } from 'zod';
import { ErrorCodes, TagwatchError } from '../errors/index.ts';
import { MAX_SIMULATED_SEEDS } from './options.ts';

const ITEM = /^(\d+)(?:-(\d+))?$/;

/**
 * A seed list as typed on the command line: comma-separated seeds and inclusive ranges,
 * `701-730` or `1,2,5-7`, kept in the order given. A seed listed twice is refused (it would count
 * its campaigns twice in the pool), and so is a list longer than `MAX_SIMULATED_SEEDS`, checked
 * before any range is expanded.
 */
export const SeedListSchema = z.string().transform((text, ctx): number[] => {
  const items = text.split(',').map((item) => item.trim());
  const ranges: Array<[number, number]> = [];
  let total = 0;
  for (const item of items) {
    const match = ITEM.exec(item);
    if (match === null) {
      ctx.addIssue({ code: 'custom', message: `"${item}" is not a seed or a range (expected e.g. 701-730 or 1,2,5-7)` });
      return z.NEVER;
    }
    const lo = Number(match[1]);
    const hi = match[2] === undefined ? lo : Number(match[2]);
    if (!Number.isSafeInteger(lo) || !Number.isSafeInteger(hi)) {
      ctx.addIssue({ code: 'custom', message: `"${item}": seeds must be integers up to ${Number.MAX_SAFE_INTEGER}` });
      return z.NEVER;
    }
    if (hi < lo) {
      ctx.addIssue({ code: 'custom', message: `"${item}": a range runs from the lower seed to the higher one` });
      return z.NEVER;
    }
    total += hi - lo + 1;
    if (total > MAX_SIMULATED_SEEDS) {
      ctx.addIssue({ code: 'custom', message: `more than ${MAX_SIMULATED_SEEDS} seeds` });
      return z.NEVER;
    }
    ranges.push([lo, hi]);
  }
  const seeds: number[] = [];
  const seen = new Set<number>();
  for (const [lo, hi] of ranges) {
    for (let seed = lo; seed <= hi; seed++) {
      if (seen.has(seed)) {
        ctx.addIssue({ code: 'custom', message: `seed ${seed} is listed twice` });
        return z.NEVER;
      }
      seen.add(seed);
      seeds.push(seed);
    }
  }
  return seeds;
});

/** Parses a seed list (see `SeedListSchema`); a USAGE error says what is wrong with it. */
export function parseSeedList(text: string): number[] {
  const parsed = SeedListSchema.safeParse(text);
  if (!parsed.success) throw new TagwatchError(ErrorCodes.USAGE, `invalid seed list "${text}": ${parsed.error.issues.map((i) => i.message).join('; ')}`, { input: text });
  return parsed.data;
}
