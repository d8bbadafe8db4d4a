import { describe, expect, it } from 'vitest';
import { MAX_SIMULATED_SEEDS, parseSeedList } from '../../../src/eval/index.ts';
import { TagwatchError } from '../../../src/errors/index.ts';

describe('parseSeedList', () => {
  it('expands inclusive ranges', () => {
    const seeds = parseSeedList('701-730');
    expect(seeds).toHaveLength(30);
    expect([seeds[0], seeds[29]]).toEqual([701, 730]);
  });

  it('reads comma-separated seeds and ranges in the order given', () => {
    expect(parseSeedList('1,2,5-7')).toEqual([1, 2, 5, 6, 7]);
    expect(parseSeedList(' 9 , 3-4 ')).toEqual([9, 3, 4]);
    expect(parseSeedList('0')).toEqual([0]);
    expect(parseSeedList('4-4')).toEqual([4]);
  });

  it.each([
    ['', /"" is not a seed or a range/],
    ['abc', /"abc" is not a seed or a range/],
    ['1-', /"1-" is not a seed or a range/],
    ['-3', /"-3" is not a seed or a range/],
    ['1,,2', /"" is not a seed or a range/],
    ['1.5', /not a seed or a range/],
    ['5-3', /from the lower seed to the higher one/],
    ['1,2,1', /seed 1 is listed twice/],
    ['2-4,3', /seed 3 is listed twice/],
    ['99999999999999999999', /integers up to/],
  ])('refuses %j with a usage error', (text, message) => {
    expect(() => parseSeedList(text)).toThrow(message);
    try {
      parseSeedList(text);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(TagwatchError);
      expect((err as TagwatchError).code).toBe('TW_USAGE');
    }
  });

  it('caps the number of seeds before expanding a range', () => {
    expect(parseSeedList(`1-${MAX_SIMULATED_SEEDS}`)).toHaveLength(MAX_SIMULATED_SEEDS);
    expect(() => parseSeedList(`0-${MAX_SIMULATED_SEEDS}`)).toThrow(`more than ${MAX_SIMULATED_SEEDS} seeds`);
    expect(() => parseSeedList('0-9007199254740990')).toThrow(`more than ${MAX_SIMULATED_SEEDS} seeds`);
  });
});
