import { freemem } from 'node:os';
import { performance } from 'node:perf_hooks';
import { Streams, type BusRecord } from '../bus/index.ts';
import { parseConfig } from '../config/index.ts';
import { silentLogger } from '../log/index.ts';
import { toPost, type PostInput } from '../model/index.ts';
import { createAnalyzeStage } from '../runtime/analyze-factory.ts';
import { CountingProducer } from './counting-producer.ts';
import { readAllLines } from './jsonl-lines.ts';
import { collectGarbage } from './memory-probe.ts';
import type { Benchmark, BenchRow } from './types.ts';

interface MemoryInput {
  file: string;
  tags: number;
  eventsPerTag: number;
  /** Event time covered by all the events, in ms (short: every tag stays live and active). */
  spanMs: number;
}

interface MemoryOutput {
  tags: number;
  liveTags: number;
  events: number;
  heapBeforeBytes: number;
  heapAfterBytes: number;
  rssBeforeBytes: number;
  rssAfterBytes: number;
  /** Heap growth after a full GC, per live tag. */
  heapBytesPerTag: number;
  /** The stage's own estimate (`bytesPerLiveTag()`). */
  estimatedBytesPerTag: number;
  rssBytesPerTag: number;
  processMs: number;
  gc: boolean;
}

/**
 * Child task (run with `--expose-gc`): `tags` distinct live tags in the analyze stage as the
 * runtime builds it (coordination included), each seeing `eventsPerTag` simulated posts (fresh
 * post objects with their own ids, times spread over `spanMs`). Heap after a full GC is measured
 * before and after; the input lines stay referenced throughout, so the growth is the stage's state.
 */
export async function analyzeMemoryTask(input: unknown): Promise<MemoryOutput> {
  const { file, tags, eventsPerTag, spanMs } = input as MemoryInput;
  const total = tags * eventsPerTag;
  const lines = await readAllLines(file, total);
  const base = parseConfig({});
  // The default cap (maxLiveTags) would evict down to it; the benchmark measures the state of `tags` live tags.
  const config = parseConfig({ analyze: { maxLiveTags: Math.max(base.analyze.maxLiveTags, Math.ceil(tags * 1.1)) } });
  const stage = await createAnalyzeStage(config, undefined, silentLogger());
  const out = new CountingProducer();
  const startTs = Date.parse('2024-05-06T00:00:00Z');
  const gc = collectGarbage();
  const before = process.memoryUsage();
  const started = performance.now();
  const batchSize = config.pipeline.batchSize;
  let records: Array<BusRecord<'tag-events'>> = [];
  for (let j = 0; j < total; j++) {
    const wire = JSON.parse(lines[j % lines.length] as string) as PostInput;
    const post = toPost(wire);
    const tag = `bench${(j % tags).toString(36)}`;
    post.id = `${post.id}~${j}`;
    post.ts = startTs + Math.floor((j * spanMs) / total);
    post.tags = [tag];
    post.tagDisplay = [tag];
    records.push({ key: tag, value: { tag, display: tag, post } });
    if (records.length >= batchSize) {
      await stage.process({ stream: Streams.tagEvents, partition: 0, records }, out);
      records = [];
    }
  }
  if (records.length > 0) await stage.process({ stream: Streams.tagEvents, partition: 0, records }, out);
  records = [];
  const processMs = performance.now() - started;
  collectGarbage();
  const after = process.memoryUsage();
  const liveTags = stage.figures().liveTags;
  const result: MemoryOutput = {
    tags,
    liveTags,
    events: total,
    heapBeforeBytes: before.heapUsed,
    heapAfterBytes: after.heapUsed,
    rssBeforeBytes: before.rss,
    rssAfterBytes: after.rss,
    heapBytesPerTag: liveTags > 0 ? (after.heapUsed - before.heapUsed) / liveTags : 0,
    estimatedBytesPerTag: stage.bytesPerLiveTag(),
    rssBytesPerTag: liveTags > 0 ? (after.rss - before.rss) / liveTags : 0,
    processMs,
    gc,
  };
  // Keep the input alive until after the measurement, so its release is not counted as negative state.
  if (lines.length === 0) result.gc = false;
  await stage.close();
  return result;
}

function tagLabel(n: number): string {
  return n >= 1_000_000 ? `${n / 1_000_000}M` : n >= 1_000 ? `${n / 1_000}k` : String(n);
}

export const analyzeMemoryBenchmark: Benchmark = {
  name: 'memory',
  description: 'analyze stage state: heap (after full GC) and RSS per live tag at 10k, 100k and 1M distinct live tags',
  async run(ctx): Promise<BenchRow[]> {
    const rows: BenchRow[] = [];
    // Bytes per tag seen at the previous (smaller) size: how much heap the next size will need.
    let perTag = 12_000;
    for (const tags of [...ctx.options.memoryTags].sort((a, b) => a - b)) {
      const input: MemoryInput = { file: ctx.stream.file, tags, eventsPerTag: ctx.options.eventsPerTag, spanMs: 10 * 60_000 };
      // 30% over the linear projection: at 1M tags × 3 posts a 15% margin (14.7 GB) was measured to be too little.
      const projectedMb = Math.ceil((tags * perTag * 1.3) / 1024 / 1024);
      const heapMb = 2_048 + projectedMb;
      const label = `7 Memory per live tag @ ${tagLabel(tags)} tags`;
      const availableMb = Math.floor((freemem() * 0.7) / 1024 / 1024);
      if (heapMb > availableMb) {
        rows.push({
          id: `memory.${tags}`,
          label,
          unit: 'B/tag',
          targets: [{ on: 'value', op: '<=', value: 2_048 }],
          error: `skipped: ${tagLabel(tags)} tags at ${Math.round(perTag).toLocaleString('en-US')} B/tag need ~${(heapMb / 1024).toFixed(1)} GB of heap, ${(availableMb / 1024).toFixed(1)} GB free`,
        });
        continue;
      }
      try {
        const out = await ctx.runChild<MemoryOutput>('memory', input, { heapMb, nodeFlags: ['--expose-gc'] });
        ctx.detail(`memory.${tags}`, out);
        if (out.heapBytesPerTag > 0) perTag = out.heapBytesPerTag;
        rows.push({
          id: `memory.${tags}`,
          label,
          value: out.heapBytesPerTag,
          unit: 'B/tag',
          targets: [{ on: 'value', op: '<=', value: 2_048 }],
          note:
            `heap Δ after GC, ${out.liveTags.toLocaleString('en-US')} live tags × ${ctx.options.eventsPerTag} posts; stage estimate ${Math.round(out.estimatedBytesPerTag)} B/tag; ` +
            `RSS ${Math.round(out.rssAfterBytes / 1024 / 1024)} MB (${Math.round(out.rssBytesPerTag)} B/tag)${out.gc ? '' : '; NO --expose-gc'}`,
        });
      } catch (err) {
        rows.push({ id: `memory.${tags}`, label, unit: 'B/tag', targets: [{ on: 'value', op: '<=', value: 2_048 }], error: (err as Error).message.split('\n')[0] ?? 'failed' });
      }
    }
    return rows;
  },
};
