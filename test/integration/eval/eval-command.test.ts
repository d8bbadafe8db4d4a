import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Flag } from '../../../src/model/index.ts';
import { openStore, type Store } from '../../../src/store/index.ts';
import { toFlagRow } from '../../../src/store/sink/index.ts';
import { readEvalFlags } from '../../../src/eval/index.ts';
import { runTagwatch } from '../../support/tagwatch-cli.ts';
import { log, storeOptions, tempStoreDir } from '../store/store-fixture.ts';

const T = Date.parse('2024-05-06T00:00:00.000Z');
const MIN = 60_000;

function flag(revision: number, authors: string[], detectedAt: number): Flag {
  return {
    flagId: 'f-alpha',
    tag: 'alpha',
    kind: 'coordinated',
    detectedAt,
    windowStart: T,
    windowEnd: detectedAt,
    score: 0.9,
    authors,
    postIds: [],
    signals: { accounts: authors.length },
    evidence: JSON.stringify({ summary: 's', firstDetectedAt: T + MIN }),
    revision,
  };
}

const truth = {
  version: 1,
  seed: 5,
  scenario: 'default',
  platform: 'sim',
  start: new Date(T).toISOString(),
  end: new Date(T + 120 * MIN).toISOString(),
  options: { seed: 5 },
  stats: { posts: 0, accounts: 0, originals: 0, reposts: 0, replies: 0, quotes: 0 },
  campaigns: [
    {
      id: 'c1',
      tag: 'alpha',
      display: 'Alpha',
      style: 'copypasta',
      target: 'fresh',
      start: new Date(T).toISOString(),
      end: new Date(T + 30 * MIN).toISOString(),
      members: ['a1', 'a2', 'a3'],
      sources: [],
      postCount: 9,
      postIds: [],
      params: {},
    },
  ],
  hardCases: [],
  bursts: [],
};

describe('tagwatch eval', () => {
  const dir = tempStoreDir();
  let truthFile = '';

  beforeAll(async () => {
    const store: Store = await openStore(storeOptions(dir.path), log);
    try {
      // Two revisions of one flag: only the latest may count.
      await store.insert('flags', [toFlagRow(flag(0, ['a1'], T + MIN)), toFlagRow(flag(1, ['a1', 'a2', 'a3'], T + 5 * MIN))]);
      const flags = await readEvalFlags(store);
      expect(flags).toHaveLength(1);
      expect(flags[0]!.revision).toBe(1);
      expect(flags[0]!.firstDetectedAt).toBe(T + MIN);
    } finally {
      await store.close();
    }
    truthFile = join(dir.path, 'truth.json');
    writeFileSync(truthFile, JSON.stringify(truth));
  });

  afterAll(() => dir.remove());

  it('prints the scores and exits 0 when the floors are met', async () => {
    const result = await runTagwatch(['eval', '--truth', truthFile, '--store', dir.path, '--format', 'json', '--min-recall', '1', '--min-f1', '1', '--max-latency-s', '60']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as { summary: { campaignRecall: number; accountF1: number; latencyMedianSec: number } };
    expect(report.summary).toMatchObject({ campaignRecall: 1, accountF1: 1, latencyMedianSec: 60 });
  });

  it('exits 3 naming the floor that was not met', async () => {
    const result = await runTagwatch(['eval', '--truth', truthFile, '--store', dir.path, '--max-latency-s', '30']);
    expect(result.code).toBe(3);
    expect(result.stdout).toContain('campaign recall      1.000 (1/1)');
    expect(result.stderr).toContain('median detection latency 60 s > 30 s');
  });
});
