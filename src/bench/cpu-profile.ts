import { writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';

/** The parts of a V8 `.cpuprofile` the summary reads. */
export interface CpuProfile {
  nodes: ReadonlyArray<{ id: number; callFrame: { functionName: string; url: string; lineNumber: number }; hitCount?: number }>;
  startTime: number;
  endTime: number;
  samples?: readonly number[];
  /** Microseconds between consecutive samples (the first is from startTime). */
  timeDeltas?: readonly number[];
}

/** Self time of one function, summed over every node of the call tree it appears in. */
export interface FunctionSelfTime {
  /** `name (file:line)`, the file relative to the repository when it is in it. */
  fn: string;
  selfMs: number;
  /** Share of the profiled time, in percent. */
  percent: number;
}

function location(url: string, line: number, repoDir: string | undefined): string {
  if (url === '') return '';
  let file = url.startsWith('file://') ? decodeURIComponent(url.slice('file://'.length)) : url;
  const root = repoDir?.replace(/\/+$/, '');
  if (file.includes('/node_modules/')) file = file.slice(file.lastIndexOf('/node_modules/') + 1);
  else if (root !== undefined && file.startsWith(`${root}/`)) file = file.slice(root.length + 1);
  // Sources run through tsx carry no useful line (its output maps everything to line 1): the file says enough.
  return line > 0 ? `${file}:${line + 1}` : file;
}

/**
 * Self time per function (or per source file, `by: 'file'`), highest first: each sample's interval is charged to the function on
 * top of the stack. V8's pseudo-frames stay as they are: `(garbage collector)`, `(program)`
 * (native and engine work), `(idle)` (waiting on I/O — the process had nothing to do).
 */
export function summarizeCpuProfile(profile: CpuProfile, top = 20, repoDir?: string, by: 'function' | 'file' = 'function'): FunctionSelfTime[] {
  const nameOf = new Map<number, string>();
  for (const node of profile.nodes) {
    const { functionName, url, lineNumber } = node.callFrame;
    const name = functionName === '' ? '(anonymous)' : functionName;
    if (by === 'file') {
      // Per file (a package counts as one file): which module the time goes to.
      const file = location(url, 0, repoDir).replace(/^(node_modules\/(?:@[^/]+\/)?[^/]+)\/.*$/, '$1');
      nameOf.set(node.id, file === '' ? name : file);
      continue;
    }
    const where = location(url, lineNumber, repoDir);
    nameOf.set(node.id, where === '' ? name : `${name} (${where})`);
  }
  const selfUs = new Map<string, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  let total = 0;
  if (samples.length > 0 && deltas.length === samples.length) {
    // timeDeltas[i] is the time before sample i; charge it to the sample that ends the interval.
    for (let i = 0; i < samples.length; i++) {
      const us = Math.max(0, deltas[i] ?? 0);
      const name = nameOf.get(samples[i] as number) ?? '(unknown)';
      selfUs.set(name, (selfUs.get(name) ?? 0) + us);
      total += us;
    }
  } else {
    const hits = profile.nodes.reduce((n, node) => n + (node.hitCount ?? 0), 0);
    const perHit = hits > 0 ? (profile.endTime - profile.startTime) / hits : 0;
    for (const node of profile.nodes) {
      const us = (node.hitCount ?? 0) * perHit;
      const name = nameOf.get(node.id) ?? '(unknown)';
      selfUs.set(name, (selfUs.get(name) ?? 0) + us);
      total += us;
    }
  }
  return [...selfUs.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([fn, us]) => ({ fn, selfMs: Math.round(us / 100) / 10, percent: total > 0 ? Math.round((us / total) * 1000) / 10 : 0 }));
}

/** Microseconds of a profile spent doing something (every sample but `(idle)`). */
export function busyMicros(profile: CpuProfile): number {
  const idle = new Set(profile.nodes.filter((n) => n.callFrame.functionName === '(idle)').map((n) => n.id));
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  let busy = 0;
  for (let i = 0; i < samples.length; i++) if (!idle.has(samples[i] as number)) busy += Math.max(0, deltas[i] ?? 0);
  return busy;
}

/**
 * Runs `work` under the V8 sampling profiler of this process when `file` is given (only the
 * measured section is profiled, not the input preparation) and writes the `.cpuprofile` there.
 */
export async function withCpuProfile<T>(file: string | undefined, work: () => Promise<T>): Promise<{ result: T; profile?: CpuProfile }> {
  if (file === undefined) return { result: await work() };
  const session = new Session();
  session.connect();
  try {
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: 500 });
    await session.post('Profiler.start');
    const result = await work();
    const { profile } = (await session.post('Profiler.stop')) as { profile: CpuProfile };
    await writeFile(file, JSON.stringify(profile));
    return { result, profile };
  } finally {
    session.disconnect();
  }
}

/** Formats a summary as aligned lines (`  41.2%   1,234 ms  fn (file:line)`). */
export function formatProfileSummary(title: string, rows: readonly FunctionSelfTime[]): string {
  const lines = rows.map((r) => `  ${r.percent.toFixed(1).padStart(5)}%  ${Math.round(r.selfMs).toLocaleString('en-US').padStart(8)} ms  ${r.fn}`);
  return [`${title} — self time (top ${rows.length})`, ...lines].join('\n');
}
