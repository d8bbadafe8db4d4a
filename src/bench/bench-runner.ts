import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { benchmarks } from './benchmarks.ts';
import { runChildProcess } from './child-process.ts';
import { firstLine } from './failure-text.ts';
import { readAllLines } from './jsonl-lines.ts';
import { machineInfo } from './machine-info.ts';
import { BenchmarkNames, type BenchOptions } from './options.ts';
import { resolveRows } from './row-verdicts.ts';
import { ensureSimStream, type SimStream } from './sim-stream.ts';
import type { BenchContext, BenchResults, BenchRow, ChildSettings } from './types.ts';

export interface BenchRunSettings {
  repoDir: string;
  /** Progress lines (stderr). */
  progress: (message: string) => void;
}

interface OpenResource {
  value: unknown;
  close: () => Promise<void>;
}

/**
 * Runs the selected benchmarks one after the other (they share two cores: never in parallel),
 * each measuring in child processes, and collects their rows. A benchmark that fails becomes an
 * ERROR row with the reason; the others still run.
 */
export async function runBenchmarks(options: BenchOptions, settings: BenchRunSettings): Promise<BenchResults> {
  const { repoDir, progress } = settings;
  const startedAt = new Date().toISOString();
  const machine = machineInfo(repoDir);
  const rows = new Map<string, BenchRow>();
  const details: Record<string, unknown> = {};
  const resources = new Map<string, Promise<OpenResource>>();
  const spec = { seed: options.seed, ratePerMin: options.ratePerMin, posts: options.posts };
  const stream = await ensureSimStream(spec, options.cacheDir, join(repoDir, 'src', 'sim'), progress);
  // Created once the stream exists, so a failed generation leaves no scratch directory behind.
  const workDir = await mkdtemp(join(tmpdir(), 'tagwatch-bench-'));
  const streams = new Map<number, Promise<SimStream>>([[stream.posts, Promise.resolve(stream)]]);

  const simStream = (posts: number): Promise<SimStream> => {
    let found = streams.get(posts);
    if (found === undefined) {
      found = posts < stream.posts ? prefixStream(stream, posts) : ensureSimStream({ ...spec, posts }, options.cacheDir, join(repoDir, 'src', 'sim'), progress);
      streams.set(posts, found);
    }
    return found;
  };

  const flatStream = (posts: number): Promise<SimStream> =>
    ensureSimStream({ ...spec, posts, flat: true }, options.cacheDir, join(repoDir, 'src', 'sim'), progress);

  const ctx: BenchContext = {
    options,
    repoDir,
    stream,
    flatStream,
    workDir,
    rows,
    progress,
    detail: (key, value) => {
      details[key] = value;
    },
    runChild: <T>(task: string, input: unknown, childSettings?: ChildSettings) => runChildProcess<T>({ repoDir, workDir, task, input, settings: childSettings }),
    resource: async <T>(name: string, open: () => Promise<{ value: T; close: () => Promise<void> }>): Promise<T> => {
      let entry = resources.get(name);
      if (entry === undefined) {
        entry = open() as Promise<OpenResource>;
        resources.set(name, entry);
        // A resource that failed to open is tried again by the next benchmark that needs it.
        entry.catch(() => resources.delete(name));
      }
      return (await entry).value as T;
    },
    simStream,
  };

  try {
    for (const name of BenchmarkNames) {
      if (!options.only.includes(name)) continue;
      const benchmark = benchmarks[name];
      progress(`▶ ${name}: ${benchmark.description}`);
      const began = Date.now();
      try {
        for (const row of await benchmark.run(ctx)) rows.set(row.id, row);
        progress(`✓ ${name} (${((Date.now() - began) / 1000).toFixed(1)} s)`);
      } catch (err) {
        rows.set(name, { id: name, label: `${name} (failed)`, unit: '', error: firstLine(err) });
        details[`${name}.error`] = err instanceof Error ? (err.stack ?? err.message) : String(err);
        progress(`✗ ${name}: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
  } finally {
    for (const [name, entry] of [...resources.entries()].reverse()) {
      const opened = await entry.catch(() => undefined);
      if (opened === undefined) continue;
      try {
        await opened.close();
      } catch (err) {
        progress(`closing ${name} failed: ${firstLine(err)}`);
      }
    }
    if (options.keep) progress(`scratch directory kept: ${workDir}`);
    else await rm(workDir, { recursive: true, force: true });
  }
  return { startedAt, finishedAt: new Date().toISOString(), machine, options, stream, rows: resolveRows([...rows.values()]), details };
}

/** The first `posts` lines of a cached stream, as a stream of their own (cached beside it). */
async function prefixStream(stream: SimStream, posts: number): Promise<SimStream> {
  const file = stream.file.replace(/\.jsonl$/, `.first${posts}.jsonl`);
  const meta = `${file}.json`;
  if (existsSync(file) && existsSync(meta)) return JSON.parse(await readFile(meta, 'utf8')) as SimStream;
  const lines = await readAllLines(stream.file, posts);
  const text = `${lines.join('\n')}\n`;
  await writeFile(file, text);
  const ts = (line: string | undefined): number => (line === undefined ? 0 : Date.parse((JSON.parse(line) as { createdAt: string }).createdAt));
  const prefix: SimStream = { ...stream, file, posts: lines.length, bytes: Buffer.byteLength(text), firstTs: ts(lines[0]), lastTs: ts(lines[lines.length - 1]) };
  await writeFile(meta, JSON.stringify(prefix));
  return prefix;
}
