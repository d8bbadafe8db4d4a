import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../../src/log/index.ts';
import type { Flag, TagMinute } from '../../../src/model/index.ts';
import { StorePoller, type ReadModel } from '../../../src/web/index.ts';

function flag(id: string, detectedAt: number, revision = 0): Flag {
  return { flagId: id, tag: 't', kind: 'burst', detectedAt, windowStart: 0, windowEnd: detectedAt, score: 1, authors: [], postIds: [], signals: {}, evidence: '{}', revision };
}

function minute(tag: string, at: number): TagMinute {
  return {
    tag, minute: at, posts: 1, originals: 1, reposts: 0, replies: 0, quotes: 0, uniqueAuthors: 1, newAuthors: 1, reach: 0, youngPosts: 0,
    languages: 1, platforms: 1, top10Share: 1, gini: 0, latePosts: 0, velocity: 1, acceleration: 0, baselineMean: 0, baselineStd: 1, zscore: 0, revision: 0,
  };
}

/** A store whose rows the test appends to; queries answer like the ClickHouse read model. */
class FakeStore {
  flags: Flag[] = [];
  minutes: TagMinute[] = [];
  fail = false;
  model(): ReadModel {
    const unused = async (): Promise<never> => {
      throw new Error('not used by the poller');
    };
    return {
      topTags: unused,
      series: unused,
      flags: unused,
      flag: unused,
      evidence: unused,
      spread: unused,
      ping: async () => undefined,
      status: async () => ({
        latestMinute: this.minutes.length === 0 ? null : Math.max(...this.minutes.map((m) => m.minute)),
        latestFlag: this.flags.length === 0 ? null : Math.max(...this.flags.map((f) => f.detectedAt)),
      }),
      flagsSince: async (since, limit) => {
        if (this.fail) throw new Error('store down');
        return this.flags.filter((f) => f.detectedAt >= since).sort((a, b) => a.detectedAt - b.detectedAt).slice(0, limit);
      },
      minutesSince: async (since, limit) => this.minutes.filter((m) => m.minute >= since).sort((a, b) => a.minute - b.minute).slice(0, limit),
    };
  }
}

describe('StorePoller', () => {
  it('emits only flags and minutes newer than where the store stood at start, each flag revision once', async () => {
    const store = new FakeStore();
    store.flags.push(flag('old', 1_000));
    store.minutes.push(minute('a', 60_000));
    const poller = new StorePoller(store.model(), 60_000, silentLogger());
    const flags: string[] = [];
    const minutes: number[] = [];
    poller.on('flag', (f: Flag) => flags.push(`${f.flagId}#${f.revision}`));
    poller.on('minute', (m: TagMinute) => minutes.push(m.minute));
    await poller.start();
    await poller.poll();
    expect(flags).toEqual([]);
    expect(minutes).toEqual([]);

    store.flags.push(flag('same-instant', 1_000), flag('new', 2_000));
    store.minutes.push(minute('a', 120_000), minute('b', 120_000));
    await poller.poll();
    expect(flags).toEqual(['same-instant#0', 'new#0']);
    expect(minutes).toEqual([120_000, 120_000]);

    store.flags = store.flags.filter((f) => f.flagId !== 'new');
    store.flags.push(flag('new', 3_000, 1));
    await poller.poll();
    await poller.poll();
    expect(flags).toEqual(['same-instant#0', 'new#0', 'new#1']);
    expect(minutes).toEqual([120_000, 120_000]);
    await poller.close();
    await poller.close();
  });

  it('keeps polling after the store fails', async () => {
    const store = new FakeStore();
    const poller = new StorePoller(store.model(), 60_000, silentLogger());
    const flags: string[] = [];
    poller.on('flag', (f: Flag) => flags.push(f.flagId));
    await poller.start();
    store.fail = true;
    store.flags.push(flag('x', 5));
    await poller.poll();
    store.fail = false;
    await poller.poll();
    expect(flags).toEqual(['x']);
    await poller.close();
  });
});
