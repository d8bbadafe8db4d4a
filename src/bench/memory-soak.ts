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
  /**
   * Event time after which the state can be steady, in ms from the first post: idle tags start
   * to expire only then (before it the heap fills up by design). The slope is fitted after it.
   */
  steadyAfterEventMs: number;
}

interface SoakSample {
  /** Seconds since the soak started. */
  t: number;
  heapUsed: number;
  rss: number;
  posts: number;
  /** Event time reached, in ms since the first post. */
  eventMs: number;
}

interface SoakOutput {
  posts: number;
  seconds: number;
  samples: SoakSample[];
  /** Slopes over the steady part (see `steady`), bytes per wall-clock minute. */
  heapSlopePerMin: number | undefined;
  rssSlopePerMin: number | undefined;
  /**
   * Which samples the slopes are fitted on: `expiry` = those past `steadyAfterEventMs` of event
   * time (the soak reached the point where idle tags expire); `last-half` = the soak was too short
   * for that, so the fill-up is in the figure and it overstates the growth.
   */
  steady: 'expiry' | 'last-half';
  /** Samples in the steady part and the wall-clock second it starts at. */
  steadySamples: number;
  steadyFromS: number;
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
  const { file, dir, minutes, rate, sampleEveryMs, steadyAfterEventMs } = input as SoakInput;
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
  let firstTs = Number.NaN;
  let eventMs = 0;
  try {
    outer: for await (const lines of readLineChunks(file)) {
      for (const line of lines) {
        const post = JSON.parse(line) as { createdAt?: unknown };
        // Event time reached (the simulator writes posts in time order), to find the steady part.
        const ts = typeof post.createdAt === 'string' ? Date.parse(post.createdAt) : Number.NaN;
        if (Number.isFinite(ts)) {
          if (Number.isNaN(firstTs)) firstTs = ts;
          eventMs = Math.max(eventMs, ts - firstTs);
        }
        pending.push({ origin: 'bench:soak', receivedAt: Date.now(), post });
        if (pending.length < perSlice) continue;
        await out.posts(pending);
        sent += pending.length;
        pending = [];
        const elapsed = performance.now() - started;
        if (elapsed >= nextSample) {
          collectGarbage();
          const m = process.memoryUsage();
          samples.push({ t: elapsed / 1000, heapUsed: m.heapUsed, rss: m.rss, posts: sent, eventMs });
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
    const afterExpiry = samples.filter((s) => s.eventMs >= steadyAfterEventMs);
    // At least a few samples and a minute of wall time, or the fit is noise.
    const expiryUsable = afterExpiry.length >= 5 && (afterExpiry[afterExpiry.length - 1] as SoakSample).t - (afterExpiry[0] as SoakSample).t >= 60;
    const warm = expiryUsable ? afterExpiry : samples.filter((s) => s.t >= seconds / 2);
    const heapSlope = linearSlope(warm.map((s) => ({ x: s.t / 60, y: s.heapUsed })));
    const rssSlope = linearSlope(warm.map((s) => ({ x: s.t / 60, y: s.rss })));
    const meanHeap = warm.reduce((n, s) => n + s.heapUsed, 0) / Math.max(1, warm.length);
    return {
      posts: sent,
      seconds,
      samples,
      heapSlopePerMin: heapSlope,
      rssSlopePerMin: rssSlope,
      steady: expiryUsable ? 'expiry' : 'last-half',
      steadySamples: warm.length,
      steadyFromS: warm[0]?.t ?? 0,
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
  description: 'embedded pipeline at a steady offered load for --soak-minutes: slope of heap (after GC) and RSS over the steady part, MB/min',
  async run(ctx): Promise<BenchRow[]> {
    const { soakMinutes, soakRate } = ctx.options;
    const needed = Math.ceil(soakRate * soakMinutes * 60 * 1.05);
    // Steady load means steady in event time too: on the diurnal stream the posts per event-hour
    // rise ~50% between 7 h and 12 h, and the windowed state (hours of event time) with them.
    const stream = await ctx.flatStream(needed);
    const analyze = parseConfig({}).analyze;
    // The state fills up until idle tags start to expire (plus the longest trailing window): steady after that.
    const steadyAfterEventMs = analyze.idleEvictionMs + 60 * 60_000;
    const input: SoakInput = {
      file: stream.file,
      dir: join(ctx.workDir, 'soak-store'),
      minutes: soakMinutes,
      rate: soakRate,
      sampleEveryMs: Math.max(1_000, Math.min(10_000, (soakMinutes * 60_000) / 40)),
      steadyAfterEventMs,
    };
    const out = await ctx.runChild<SoakOutput>('soak', input, { heapMb: 8_192, nodeFlags: ['--expose-gc'], timeoutMs: soakMinutes * 60_000 * 3 + 120_000 });
    ctx.detail('soak', out);
    const MB = 1024 * 1024;
    // Flat: the heap would grow by less than 10% of its size over an hour at this slope.
    const allowedMbPerMin = (0.1 * out.meanHeapBytes) / 60 / MB;
    const mb = (b: number): string => `${Math.round(b / MB)} MB`;
    const first = out.samples[0];
    const last = out.samples[out.samples.length - 1];
    const trace = first !== undefined && last !== undefined ? `heap ${mb(first.heapUsed)} → ${mb(last.heapUsed)}, RSS ${mb(first.rss)} → ${mb(last.rss)}` : '';
    const eventHours = (last?.eventMs ?? 0) / 3_600_000;
    const perHour = out.heapSlopePerMin === undefined ? '' : `${((out.heapSlopePerMin * 60 * 100) / out.meanHeapBytes).toFixed(1)}%/h of the heap; `;
    const steady =
      out.steady === 'expiry'
        ? `fitted from ${Math.round(out.steadyFromS)} s on (${out.steadySamples} samples past ${(steadyAfterEventMs / 3_600_000).toFixed(0)} h of event time, when idle tags expire)`
        : `NOT steady: the soak never passed ${(steadyAfterEventMs / 3_600_000).toFixed(0)} h of event time (idle expiry), fitted on the last half, fill-up included (run longer, or a higher --soak-rate)`;
    return [
      {
        id: 'soak.heap',
        label: `7 Soak ${soakMinutes} min: heap slope (after GC)`,
        value: out.heapSlopePerMin === undefined ? undefined : out.heapSlopePerMin / MB,
        unit: 'MB/min',
        targets: [{ on: 'value', op: '<=', value: allowedMbPerMin }],
        note:
          `${perHour}flat = < 10%/h (≤ ${allowedMbPerMin.toFixed(2)} MB/min); ${steady}; ${out.posts.toLocaleString('en-US')} posts at ${Math.round(out.achievedRate).toLocaleString('en-US')}/s ` +
          `(offered ${soakRate.toLocaleString('en-US')}/s)${out.endedEarly ? ', stream ended early' : ''}; ${trace}; ${eventHours.toFixed(1)} h of event time`,
      },
      {
        id: 'soak.rss',
        label: `7 Soak ${soakMinutes} min: RSS slope`,
        value: out.rssSlopePerMin === undefined ? undefined : out.rssSlopePerMin / MB,
        unit: 'MB/min',
        note: 'same steady part; RSS includes the chDB engine (its caches grow with the data written)',
      },
    ];
  },
};
