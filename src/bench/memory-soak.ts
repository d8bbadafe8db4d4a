import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { collectorOutput } from '../collectors/collector-output.ts';
import { parseConfig } from '../config/index.ts';
import { createLogger } from '../log/index.ts';
import type { RawPost } from '../model/index.ts';
import { EmbeddedRuntime } from '../runtime/index.ts';
import { linearSlope } from './bench-stats.ts';
import { readLineChunks } from './jsonl-lines.ts';
import { collectGarbage } from './memory-probe.ts';
import type { Benchmark, BenchRow } from './types.ts';

interface SoakInput {
  file: string;
  dir: string;
  minutes: number;
  /** Offered load, posts per wall-clock second. */
  rate: number;
  sampleEveryMs: number;
}

interface SoakSample {
  /** Seconds since the soak started. */
  t: number;
  heapUsed: number;
  rss: number;
  posts: number;
}

interface SoakOutput {
  posts: number;
  seconds: number;
  samples: SoakSample[];
  /** Slopes over the samples after the first quarter (warm-up), bytes per minute. */
  heapSlopePerMin: number | undefined;
  rssSlopePerMin: number | undefined;
  meanHeapBytes: number;
  achievedRate: number;
  endedEarly: boolean;
  gc: boolean;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Child task (`--expose-gc`): the embedded pipeline under a steady offered load of `rate`
 * posts/s for `minutes`, sampling heap (after a full GC) and RSS. A full GC at every sample
 * separates live growth from garbage not yet collected.
 */
export async function memorySoakTask(input: unknown): Promise<SoakOutput> {
  const { file, dir, minutes, rate, sampleEveryMs } = input as SoakInput;
  const config = parseConfig({ store: { path: dir }, log: { level: 'warn' } });
  const log = createLogger({ level: 'warn' });
  const runtime = await EmbeddedRuntime.start(config, log);
  const out = collectorOutput(runtime.producer);
  const durationMs = minutes * 60_000;
  const samples: SoakSample[] = [];
  const gc = collectGarbage();
  const started = performance.now();
  let sent = 0;
  let nextSample = 0;
  let endedEarly = true;
  const sliceMs = 50;
  const perSlice = Math.max(1, Math.round((rate * sliceMs) / 1000));
  let pending: RawPost[] = [];
  try {
    outer: for await (const lines of readLineChunks(file)) {
      for (const line of lines) {
        pending.push({ origin: 'bench:soak', receivedAt: Date.now(), post: JSON.parse(line) as unknown });
        if (pending.length < perSlice) continue;
        await out.posts(pending);
        sent += pending.length;
        pending = [];
        const elapsed = performance.now() - started;
        if (elapsed >= nextSample) {
          collectGarbage();
          const m = process.memoryUsage();
          samples.push({ t: elapsed / 1000, heapUsed: m.heapUsed, rss: m.rss, posts: sent });
          nextSample += sampleEveryMs;
        }
        if (elapsed >= durationMs) {
          endedEarly = false;
          break outer;
        }
        const due = (sent / rate) * 1000;
        const now = performance.now() - started;
        if (due > now) await sleep(due - now);
      }
    }
    const seconds = (performance.now() - started) / 1000;
    const warm = samples.filter((s) => s.t >= seconds / 4);
    const heapSlope = linearSlope(warm.map((s) => ({ x: s.t / 60, y: s.heapUsed })));
    const rssSlope = linearSlope(warm.map((s) => ({ x: s.t / 60, y: s.rss })));
    const meanHeap = warm.reduce((n, s) => n + s.heapUsed, 0) / Math.max(1, warm.length);
    return {
      posts: sent,
      seconds,
      samples,
      heapSlopePerMin: heapSlope,
      rssSlopePerMin: rssSlope,
      meanHeapBytes: meanHeap,
      achievedRate: sent / seconds,
      endedEarly,
      gc,
    };
  } finally {
    await runtime.close();
  }
}

export const memorySoakBenchmark: Benchmark = {
  name: 'soak',
  description: 'embedded pipeline at a steady offered load for --soak-minutes: slope of heap (after GC) and RSS',
  async run(ctx): Promise<BenchRow[]> {
    const { soakMinutes, soakRate } = ctx.options;
    const needed = Math.ceil(soakRate * soakMinutes * 60 * 1.05);
    const stream = needed <= ctx.stream.posts ? ctx.stream : await ctx.simStream(needed);
    const input: SoakInput = {
      file: stream.file,
      dir: join(ctx.workDir, 'soak-store'),
      minutes: soakMinutes,
      rate: soakRate,
      sampleEveryMs: Math.max(1_000, Math.min(10_000, (soakMinutes * 60_000) / 40)),
    };
    const out = await ctx.runChild<SoakOutput>('soak', input, { heapMb: 8_192, nodeFlags: ['--expose-gc'], timeoutMs: soakMinutes * 60_000 * 3 + 120_000 });
    ctx.detail('soak', out);
    // Flat: the heap would grow by less than 10% of its size over an hour at this slope.
    const allowed = (0.1 * out.meanHeapBytes) / 60;
    const mb = (b: number): string => `${Math.round(b / 1024 / 1024)} MB`;
    const first = out.samples[0];
    const last = out.samples[out.samples.length - 1];
    const trace = first !== undefined && last !== undefined ? `heap ${mb(first.heapUsed)} → ${mb(last.heapUsed)}, RSS ${mb(first.rss)} → ${mb(last.rss)}` : '';
    // State stops growing only once tags start to expire (idle eviction, in event time): say how much event time the soak covered.
    const eventHours = ((out.posts / stream.posts) * (stream.lastTs - stream.firstTs)) / 3_600_000;
    return [
      {
        id: 'soak.heap',
        label: `7 Soak ${soakMinutes} min: heap slope (after GC)`,
        value: out.heapSlopePerMin,
        unit: 'B/min',
        targets: [{ on: 'value', op: '<=', value: allowed }],
        note:
          `flat = < 10%/h of the heap (≤ ${Math.round(allowed).toLocaleString('en-US')} B/min); ${out.posts.toLocaleString('en-US')} posts at ${Math.round(out.achievedRate).toLocaleString('en-US')}/s ` +
          `(offered ${soakRate.toLocaleString('en-US')}/s)${out.endedEarly ? ', stream ended early' : ''}; ${trace}; ${eventHours.toFixed(1)} h of event time (idle tags expire after ${parseConfig({}).analyze.idleEvictionMs / 3_600_000} h)`,
      },
      {
        id: 'soak.rss',
        label: `7 Soak ${soakMinutes} min: RSS slope`,
        value: out.rssSlopePerMin,
        unit: 'B/min',
        note: 'RSS includes the chDB engine (its caches grow with the data written)',
      },
    ];
  },
};
