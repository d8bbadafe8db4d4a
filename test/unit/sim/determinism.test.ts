import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TruthSchema, writeSimulation, type SimOptionsInput } from '../../../src/sim/index.ts';

const SMALL: Omit<SimOptionsInput, 'seed'> = {
  hours: 1,
  ratePerMin: 40,
  hardCases: { breakingNews: { posts: [300, 400] }, celebrityRepost: { reposts: [200, 300] }, liveEvent: { posts: [300, 400] } },
};

describe('simulation determinism', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tagwatch-sim-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes identical bytes (stream and truth) for the same seed', async () => {
    await writeSimulation({ seed: 5, ...SMALL }, join(dir, 'a.jsonl'), join(dir, 'a.json'));
    await writeSimulation({ seed: 5, ...SMALL }, join(dir, 'b.jsonl'), join(dir, 'b.json'));
    const a = await readFile(join(dir, 'a.jsonl'));
    expect(a.length).toBeGreaterThan(100_000);
    expect(a.equals(await readFile(join(dir, 'b.jsonl')))).toBe(true);
    expect((await readFile(join(dir, 'a.json'), 'utf8')) === (await readFile(join(dir, 'b.json'), 'utf8'))).toBe(true);
  });

  it('writes a different stream, different campaigns and unrelated post ids for another seed', async () => {
    const one = await writeSimulation({ seed: 5, ...SMALL }, join(dir, 'c.jsonl'));
    const two = await writeSimulation({ seed: 6, ...SMALL }, join(dir, 'd.jsonl'));
    const c = await readFile(join(dir, 'c.jsonl'), 'utf8');
    const d = await readFile(join(dir, 'd.jsonl'), 'utf8');
    expect(c).not.toBe(d);
    expect(JSON.parse(c.slice(0, c.indexOf('\n'))).id).toMatch(/^s5-/);
    expect(JSON.parse(d.slice(0, d.indexOf('\n'))).id).toMatch(/^s6-/);
    expect(one.truth.campaigns.map((x) => x.params)).not.toEqual(two.truth.campaigns.map((x) => x.params));
  });

  it('gzips when the file name ends in .gz, with the same content', async () => {
    const summary = await writeSimulation({ seed: 5, ...SMALL }, join(dir, 'e.jsonl.gz'), join(dir, 'e.json'));
    const plain = await readFile(join(dir, 'a.jsonl'), 'utf8');
    const unzipped = gunzipSync(await readFile(join(dir, 'e.jsonl.gz'))).toString('utf8');
    expect(unzipped).toBe(plain);
    expect(unzipped.trim().split('\n')).toHaveLength(summary.posts);
    const truth = TruthSchema.parse(JSON.parse(await readFile(join(dir, 'e.json'), 'utf8')));
    expect(truth.stats.posts).toBe(summary.posts);
  });
});
