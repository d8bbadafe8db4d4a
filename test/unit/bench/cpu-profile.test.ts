import { describe, expect, it } from 'vitest';
import { busyMicros, formatProfileSummary, summarizeCpuProfile, type CpuProfile } from '../../../src/bench/cpu-profile.ts';

const repo = '/work/repo';
const profile: CpuProfile = {
  nodes: [
    { id: 1, callFrame: { functionName: '(root)', url: '', lineNumber: -1 } },
    { id: 2, callFrame: { functionName: 'process', url: `file://${repo}/src/stream/analyze-stage.ts`, lineNumber: 125 } },
    { id: 3, callFrame: { functionName: 'hash', url: `file://${repo}/src/stream/string-hash.ts`, lineNumber: 3 } },
    // The same function reached through another call path: its time adds up.
    { id: 4, callFrame: { functionName: 'hash', url: `file://${repo}/src/stream/string-hash.ts`, lineNumber: 3 } },
    { id: 5, callFrame: { functionName: '(garbage collector)', url: '', lineNumber: -1 } },
    { id: 6, callFrame: { functionName: '', url: 'file:///x/node_modules/zod/v4/core.js', lineNumber: 9 } },
  ],
  startTime: 0,
  endTime: 10_000,
  samples: [2, 3, 4, 3, 5, 6, 2, 2],
  timeDeltas: [1_000, 1_000, 2_000, 1_000, 3_000, 1_000, 500, 500],
};

describe('summarizeCpuProfile', () => {
  it('charges each interval to the function on top of the stack and sums per function', () => {
    const top = summarizeCpuProfile(profile, 10, repo);
    expect(top).toEqual([
      { fn: 'hash (src/stream/string-hash.ts:4)', selfMs: 4, percent: 40 },
      { fn: '(garbage collector)', selfMs: 3, percent: 30 },
      { fn: 'process (src/stream/analyze-stage.ts:126)', selfMs: 2, percent: 20 },
      { fn: '(anonymous) (node_modules/zod/v4/core.js:10)', selfMs: 1, percent: 10 },
    ]);
  });

  it('accepts a repository path with a trailing slash and leaves out line 1 (tsx output)', () => {
    const one: CpuProfile = {
      nodes: [{ id: 1, callFrame: { functionName: 'f', url: `file://${repo}/src/a.ts`, lineNumber: 0 } }],
      startTime: 0,
      endTime: 1,
      samples: [1],
      timeDeltas: [1_000],
    };
    expect(summarizeCpuProfile(one, 5, `${repo}/`)[0]?.fn).toBe('f (src/a.ts)');
  });

  it('sums per file when asked, a package counting as one file', () => {
    expect(summarizeCpuProfile(profile, 10, repo, 'file')).toEqual([
      { fn: 'src/stream/string-hash.ts', selfMs: 4, percent: 40 },
      { fn: '(garbage collector)', selfMs: 3, percent: 30 },
      { fn: 'src/stream/analyze-stage.ts', selfMs: 2, percent: 20 },
      { fn: 'node_modules/zod', selfMs: 1, percent: 10 },
    ]);
  });

  it('keeps only the top entries', () => {
    expect(summarizeCpuProfile(profile, 1, repo)).toHaveLength(1);
  });

  it('falls back to hit counts when the profile has no sample timeline', () => {
    const byHits: CpuProfile = {
      nodes: [
        { id: 1, callFrame: { functionName: 'a', url: '', lineNumber: 0 }, hitCount: 3 },
        { id: 2, callFrame: { functionName: 'b', url: '', lineNumber: 0 }, hitCount: 1 },
      ],
      startTime: 0,
      endTime: 4_000,
    };
    expect(summarizeCpuProfile(byHits)).toEqual([
      { fn: 'a', selfMs: 3, percent: 75 },
      { fn: 'b', selfMs: 1, percent: 25 },
    ]);
  });
});

describe('formatProfileSummary', () => {
  it('prints one aligned line per function under a title', () => {
    const text = formatProfileSummary('analyze', [{ fn: 'hash', selfMs: 1_234.5, percent: 41.2 }]);
    expect(text.split('\n')).toEqual(['analyze — self time (top 1)', '   41.2%     1,235 ms  hash']);
  });
});

describe('busyMicros', () => {
  it('counts every sample but idle ones', () => {
    const p: CpuProfile = {
      nodes: [
        { id: 1, callFrame: { functionName: '(idle)', url: '', lineNumber: -1 } },
        { id: 2, callFrame: { functionName: 'work', url: '', lineNumber: 0 } },
      ],
      startTime: 0,
      endTime: 10,
      samples: [1, 2, 1, 2],
      timeDeltas: [5, 3, 7, 4],
    };
    expect(busyMicros(p)).toBe(7);
  });
});
