import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseConfig } from '../config/index.ts';
import { silentLogger } from '../log/index.ts';
import { createAnalyzeStage } from '../runtime/analyze-factory.ts';
import { AnalyzeStage } from '../stream/index.ts';
import { perSecond } from './bench-stats.ts';
import { CountingProducer } from './counting-producer.ts';
import { summarizeCpuProfile, withCpuProfile, type FunctionSelfTime } from './cpu-profile.ts';
import { readAllLines } from './jsonl-lines.ts';
import { collectGarbage } from './memory-probe.ts';
import { parseLines, tagEventBatches } from './tag-event-batches.ts';
import { firstLine } from './failure-text.ts';
import type { Benchmark, BenchRow } from './types.ts';

interface AnalyzeInput {
  file: string;
  posts: number;
  /** Write a CPU profile of the measured section here. */
  profileFile?: string;
  repoDir: string;
  /** false: the stage with its built-in burst detector only (how much the coordination detector costs). */
  coordination: boolean;
}

interface AnalyzeOutput {
  posts: number;
  events: number;
  batches: number;
  processMs: number;
  flushMs: number;
  outputs: Record<string, number>;
  liveTags: number;
  bytesPerLiveTag: number;
  flags: number;
  profile?: FunctionSelfTime[];
  profileByFile?: FunctionSelfTime[];
}

/**
 * Child task: the analyze stage as the runtime builds it (burst + coordination detectors), fed
 * pre-built `tag-events` batches (as IngestStage makes them, the pipeline's batch size) through a
 * Producer that only counts. The clock covers every batch and the final flush.
 */
export async function analyzeThroughputTask(input: unknown): Promise<AnalyzeOutput> {
  const { file, posts: wanted, profileFile, repoDir, coordination } = input as AnalyzeInput;
  const config = parseConfig({});
  const { posts } = parseLines(await readAllLines(file, wanted));
  const batches = tagEventBatches(posts, config.pipeline.batchSize);
  const events = batches.reduce((n, b) => n + b.records.length, 0);
  const stage = coordination ? await createAnalyzeStage(config, undefined, silentLogger()) : new AnalyzeStage(config.analyze, [], { log: silentLogger() });
  const out = new CountingProducer();
  collectGarbage();
  let processMs = 0;
  let flushMs = 0;
  const { profile } = await withCpuProfile(profileFile, async () => {
    const started = performance.now();
    for (const batch of batches) await stage.process(batch, out);
    const processed = performance.now();
    await stage.flush(out, true);
    processMs = processed - started;
    flushMs = performance.now() - processed;
  });
  const figures = stage.figures();
  const result: AnalyzeOutput = {
    posts: posts.length,
    events,
    batches: batches.length,
    processMs,
    flushMs,
    outputs: out.counts as Record<string, number>,
    liveTags: figures.liveTags,
    bytesPerLiveTag: stage.bytesPerLiveTag(),
    flags: figures.flags,
  };
  if (profile !== undefined) {
    result.profile = summarizeCpuProfile(profile, 25, repoDir);
    result.profileByFile = summarizeCpuProfile(profile, 15, repoDir, 'file');
  }
  await stage.close();
  return result;
}

export const analyzeThroughputBenchmark: Benchmark = {
  name: 'analyze',
  description: 'AnalyzeStage.process() alone, in-process, with the coordination detector, on pre-built tag-events batches',
  async run(ctx): Promise<BenchRow[]> {
    const input: AnalyzeInput = { file: ctx.stream.file, posts: ctx.options.posts, repoDir: ctx.repoDir, coordination: true };
    if (ctx.options.profile) input.profileFile = join(ctx.workDir, 'analyze.cpuprofile');
    const child = { heapMb: 12_288, nodeFlags: ['--expose-gc'] };
    const out = await ctx.runChild<AnalyzeOutput>('analyze', input, child);
    const ms = out.processMs + out.flushMs;
    if (out.profile !== undefined) ctx.detail('analyzeProfile', out.profile);
    if (out.profileByFile !== undefined) ctx.detail('analyzeProfileByFile', out.profileByFile);
    ctx.detail('analyze', out);
    const rows: BenchRow[] = [
      {
        id: 'analyze',
        label: '2 Analyze stage alone (in-process)',
        value: perSecond(out.posts, ms),
        unit: 'posts/s',
        limitOf: 'parse',
        targets: [
          { on: 'value', op: '>=', value: 100_000 },
          { on: 'ratio', op: '>=', value: 0.5 },
        ],
        note:
          `${out.posts.toLocaleString('en-US')} posts, ${out.events.toLocaleString('en-US')} events (${Math.round(perSecond(out.events, ms) ?? 0).toLocaleString('en-US')} events/s); ` +
          `final flush ${Math.round(out.flushMs)} ms; ${out.outputs['metrics'] ?? 0} minute rows, ${out.outputs['flags'] ?? 0} flags, ${out.outputs['analyze-state'] ?? 0} checkpoints`,
      },
    ];
    try {
      const burst = await ctx.runChild<AnalyzeOutput>('analyze', { file: ctx.stream.file, posts: ctx.options.posts, repoDir: ctx.repoDir, coordination: false } satisfies AnalyzeInput, child);
      ctx.detail('analyzeBurstOnly', burst);
      rows.push({
        id: 'analyze.burst',
        label: '2b Analyze without coordination (diagnostic)',
        value: perSecond(burst.posts, burst.processMs + burst.flushMs),
        unit: 'posts/s',
        limitOf: 'parse',
        note: 'the same run with the built-in burst detector only: what the coordination detector costs',
      });
    } catch (err) {
      rows.push({ id: 'analyze.burst', label: '2b Analyze without coordination (diagnostic)', unit: 'posts/s', error: firstLine(err) });
    }
    return rows;
  },
};
