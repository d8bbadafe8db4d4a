import { performance } from 'node:perf_hooks';
import { resolveTags } from '../model/index.ts';
import { perSecond } from './bench-stats.ts';
import { readLineChunks } from './jsonl-lines.ts';
import type { Benchmark, BenchRow } from './types.ts';

interface ParseInput {
  file: string;
}

interface ParseOutput {
  posts: number;
  tags: number;
  ms: number;
}

/**
 * Child task: read the file, `JSON.parse` each line and resolve its tags, nothing else. The clock
 * includes the read, as the replay's does.
 */
export async function parseLimitTask(input: unknown): Promise<ParseOutput> {
  const { file } = input as ParseInput;
  const started = performance.now();
  let posts = 0;
  let tags = 0;
  for await (const lines of readLineChunks(file)) {
    for (const line of lines) {
      const post = JSON.parse(line) as { text: string; tags?: string[] };
      tags += resolveTags(post.text, post.tags).length;
      posts++;
    }
  }
  return { posts, tags, ms: performance.now() - started };
}

export const parseLimitBenchmark: Benchmark = {
  name: 'parse',
  description: 'the same posts read from JSONL, JSON.parse + tag extraction only: the ceiling of one process',
  async run(ctx): Promise<BenchRow[]> {
    // Best of two: the first pass also warms the page cache and the JIT.
    let best: ParseOutput | undefined;
    for (let i = 0; i < 2; i++) {
      const out = await ctx.runChild<ParseOutput>('parse', { file: ctx.stream.file } satisfies ParseInput);
      if (best === undefined || out.ms < best.ms) best = out;
    }
    const b = best as ParseOutput;
    return [
      {
        id: 'parse',
        label: '1 Parse limit (read + JSON.parse + tags)',
        value: perSecond(b.posts, b.ms),
        unit: 'posts/s',
        note: `${b.posts.toLocaleString('en-US')} posts, ${(b.tags / b.posts).toFixed(2)} tags/post, best of 2`,
      },
    ];
  },
};
