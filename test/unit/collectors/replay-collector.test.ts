import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ReplayCollector, ReplayOptionsSchema, type ReplayClock } from '../../../src/collectors/replay/index.ts';
import type { CollectorOutput } from '../../../src/collectors/types.ts';
import { silentLogger } from '../../../src/log/index.ts';
import type { DeadLetter, RawPost } from '../../../src/model/index.ts';

function recordingOutput(): CollectorOutput & { posts_: RawPost[]; dead: DeadLetter[]; calls: number } {
  const out = {
    posts_: [] as RawPost[],
    dead: [] as DeadLetter[],
    calls: 0,
    async posts(records: RawPost[]) {
      out.calls++;
      out.posts_.push(...records);
    },
    async deletions() {},
    async deadLetters(records: DeadLetter[]) {
      out.dead.push(...records);
    },
  };
  return out;
}

/** A clock that jumps to each requested instant instead of sleeping, recording the waits. */
function jumpingClock(start: number): ReplayClock & { waits: number[] } {
  let now = start;
  const waits: number[] = [];
  return {
    waits,
    now: () => now,
    sleepUntil: async (wall) => {
      waits.push(wall - now);
      now = Math.max(now, wall);
    },
  };
}

const line = (id: number, minute: number): string =>
  JSON.stringify({ platform: 'sim', id: String(id), author: { id: 'a' }, createdAt: new Date(Date.UTC(2017, 4, 5, 18, minute)).toISOString(), text: '#x' });

describe('ReplayCollector', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tw-replay-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('hands on every line, dead-letters broken ones with file and line, and reads gzip', async () => {
    const body = [line(1, 0), '{not json', '', line(2, 1), 'x'.repeat(2_000), line(3, 2)].join('\n');
    const file = join(dir, 'posts.jsonl.gz');
    await writeFile(file, gzipSync(body));
    const out = recordingOutput();
    const collector = new ReplayCollector(ReplayOptionsSchema.parse({ file, maxLineBytes: 1_024 }), silentLogger());
    const stats = await collector.run(out, new AbortController().signal);
    expect(out.posts_.map((p) => p.origin)).toEqual(['replay:posts.jsonl.gz:1', 'replay:posts.jsonl.gz:4', 'replay:posts.jsonl.gz:6']);
    expect(out.dead.map((d) => [d.ref, d.code])).toEqual([
      ['posts.jsonl.gz:2', 'TW_JSON_INVALID'],
      ['posts.jsonl.gz:5', 'TW_FRAME_TOO_LARGE'],
    ]);
    expect(out.dead[0]?.payload).toBe('{not json');
    expect(stats).toMatchObject({ frames: 5, posts: 3, deadLettered: 2 });
    expect(stats.lastEventTs).toBe(Date.UTC(2017, 4, 5, 18, 2));
  });

  it('paces by event time at the requested speed', async () => {
    const file = join(dir, 'posts.jsonl');
    await writeFile(file, [line(1, 0), line(2, 0), line(3, 1), line(4, 3)].join('\n'));
    const clock = jumpingClock(1_000_000);
    const out = recordingOutput();
    const collector = new ReplayCollector(ReplayOptionsSchema.parse({ file, speed: 60 }), silentLogger(), { clock });
    await collector.run(out, new AbortController().signal);
    // One event-time minute is one wall second at speed 60; posts of the same instant go together.
    expect(clock.waits).toEqual([1_000, 2_000]);
    expect(out.posts_).toHaveLength(4);
  });

  it('stops when aborted and refuses to run once closed', async () => {
    const file = join(dir, 'posts.jsonl');
    await writeFile(file, [line(1, 0), line(2, 10)].join('\n'));
    const abort = new AbortController();
    const clock: ReplayClock = { now: () => 0, sleepUntil: async () => abort.abort() };
    const out = recordingOutput();
    const collector = new ReplayCollector(ReplayOptionsSchema.parse({ file, speed: 1 }), silentLogger(), { clock });
    await collector.run(out, abort.signal);
    expect(out.posts_.map((p) => p.origin)).toEqual(['replay:posts.jsonl:1']);
    await collector.close();
    await expect(collector.run(out, new AbortController().signal)).rejects.toThrow(/closed/);
  });

  it('names the file when it cannot be read', async () => {
    const collector = new ReplayCollector(ReplayOptionsSchema.parse({ file: join(dir, 'missing.jsonl') }), silentLogger());
    await expect(collector.run(recordingOutput(), new AbortController().signal)).rejects.toThrow(/missing\.jsonl/);
  });
});
