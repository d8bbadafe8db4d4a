import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { collectorOutput } from '../collectors/collector-output.ts';
import { ReplayCollector, ReplayOptionsSchema } from '../collectors/replay/index.ts';
import { parseConfig } from '../config/index.ts';
import { createLogger, moduleLogger } from '../log/index.ts';
import { EmbeddedRuntime } from '../runtime/index.ts';
import { perSecond } from './bench-stats.ts';
import { summarizeCpuProfile, withCpuProfile, type FunctionSelfTime } from './cpu-profile.ts';
import { RssSampler } from './memory-probe.ts';
import type { Benchmark, BenchRow } from './types.ts';

interface EmbeddedInput {
  file: string;
  dir: string;
  profileFile?: string;
  repoDir: string;
}

interface EmbeddedOutput {
  posts: number;
  accepted: number;
  ms: number;
  rowsWritten: Record<string, number>;
  batchesWritten: number;
  writeMsTotal: number;
  peakRssBytes: number;
  profile?: FunctionSelfTime[];
  profileByFile?: FunctionSelfTime[];
}

/**
 * Child task: `tagwatch replay FILE --speed max` in-process — the embedded runtime (ingest,
 * analyze with coordination, sink into chDB) fed by the ReplayCollector. The clock runs from the
 * first line read to the end of the final flush (every row written); opening and closing the
 * store are outside it.
 */
export async function embeddedEndToEndTask(input: unknown): Promise<EmbeddedOutput> {
  const { file, dir, profileFile, repoDir } = input as EmbeddedInput;
  const config = parseConfig({ store: { path: dir }, log: { level: 'warn' } });
  const log = createLogger({ level: 'warn' });
  const sampler = new RssSampler(200);
  const runtime = await EmbeddedRuntime.start(config, log);
  try {
    const collector = new ReplayCollector(ReplayOptionsSchema.parse({ file, speed: 'max' }), moduleLogger(log, 'replay'));
    let ms = 0;
    let posts = 0;
    const { profile } = await withCpuProfile(profileFile, async () => {
      const started = performance.now();
      const stats = await collector.run(collectorOutput(runtime.producer), new AbortController().signal);
      await runtime.finish();
      ms = performance.now() - started;
      posts = stats.posts;
    });
    const sink = runtime.sink.figures;
    const out: EmbeddedOutput = {
      posts,
      accepted: runtime.ingest.stats().accepted,
      ms,
      rowsWritten: { ...sink.rowsWritten },
      batchesWritten: sink.batchesWritten,
      writeMsTotal: sink.writeMsTotal,
      peakRssBytes: 0,
    };
    if (profile !== undefined) {
      out.profile = summarizeCpuProfile(profile, 25, repoDir);
      out.profileByFile = summarizeCpuProfile(profile, 15, repoDir, 'file');
    }
    await collector.close();
    out.peakRssBytes = sampler.stop();
    return out;
  } finally {
    sampler.stop();
    await runtime.close();
  }
}

export const embeddedEndToEndBenchmark: Benchmark = {
  name: 'embedded',
  description: 'replay --speed max into the embedded chDB store, in-process (EmbeddedRuntime + ReplayCollector)',
  async run(ctx): Promise<BenchRow[]> {
    const input: EmbeddedInput = { file: ctx.stream.file, dir: join(ctx.workDir, 'embedded-store'), repoDir: ctx.repoDir };
    if (ctx.options.profile) input.profileFile = join(ctx.workDir, 'embedded.cpuprofile');
    const out = await ctx.runChild<EmbeddedOutput>('embedded', input, { heapMb: 8_192 });
    if (out.profile !== undefined) ctx.detail('embeddedProfile', out.profile);
    if (out.profileByFile !== undefined) ctx.detail('embeddedProfileByFile', out.profileByFile);
    ctx.detail('embedded', out);
    const rows = Object.values(out.rowsWritten).reduce((n, v) => n + v, 0);
    const perTable = Object.entries(out.rowsWritten)
      .map(([t, n]) => `${t} ${n.toLocaleString('en-US')}`)
      .join(', ');
    return [
      {
        id: 'embedded',
        label: '3 Embedded end-to-end (replay → chDB)',
        value: perSecond(out.posts, out.ms),
        unit: 'posts/s',
        limitOf: 'store',
        targets: [{ on: 'value', op: '>=', value: 60_000 }],
        note: `${out.posts.toLocaleString('en-US')} posts in ${(out.ms / 1000).toFixed(1)} s; sink busy ${(out.writeMsTotal / 1000).toFixed(1)} s over ${out.batchesWritten} batches`,
      },
      {
        id: 'embedded.rows',
        label: '3 Embedded: ClickHouse rows written',
        value: perSecond(rows, out.ms),
        unit: 'rows/s',
        note: perTable,
      },
      {
        id: 'embedded.rss',
        label: '3 Embedded: peak RSS',
        value: out.peakRssBytes / 1024 / 1024,
        unit: 'MB',
        note: 'kernel high-water mark of the replay process (chDB engine included)',
      },
    ];
  },
};
