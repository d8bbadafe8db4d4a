import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Simulation, TruthSchema, writeSimulation, type SimOptionsInput } from '../../../src/sim/index.ts';
import { IsoTimeFormatter } from '../../../src/sim/post-factory.ts';
import { PostSerializer } from '../../../src/sim/post-serializer.ts';

const SMALL_EVENTS = {
  hardCases: { breakingNews: { posts: [300, 400] }, celebrityRepost: { reposts: [200, 300] }, liveEvent: { posts: [300, 400] } },
} satisfies Omit<SimOptionsInput, 'seed'>;
const SMALL: Omit<SimOptionsInput, 'seed'> = { hours: 0.75, ratePerMin: 30, ...SMALL_EVENTS };

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
    expect(a.length).toBeGreaterThan(200_000);
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

describe('PostSerializer', () => {
  it('writes exactly what JSON.stringify writes for every simulated post', () => {
    const serializer = new PostSerializer();
    const sim = new Simulation({ seed: 9, hours: 0.5, ratePerMin: 60, ...SMALL_EVENTS });
    let n = 0;
    const mismatches: string[] = [];
    for (const post of sim.posts()) {
      n++;
      const line = serializer.line(post);
      if (line !== `${JSON.stringify(post)}\n`) mismatches.push(post.id);
    }
    expect(n).toBeGreaterThan(1_000);
    expect(mismatches).toEqual([]);
  });
});

describe('IsoTimeFormatter', () => {
  it('formats like toISOString across seconds, minutes, days and years', () => {
    const clock = new IsoTimeFormatter();
    let ts = Date.parse('2016-12-31T23:58:59.000Z');
    const mismatches: number[] = [];
    for (let i = 0; i < 20_000; i++) {
      ts += (i * 7919) % 1_001;
      if (clock.format(ts) !== new Date(ts).toISOString()) mismatches.push(ts);
    }
    expect(mismatches).toEqual([]);
  });
});
