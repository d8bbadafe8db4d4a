import { readFile, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command, Option } from 'commander';
import {
  BenchmarkNames,
  childTasks,
  formatProfileSummary,
  formatTable,
  resolveBenchOptions,
  runBenchmarks,
  writeResults,
  type BenchOptionsInput,
  type FunctionSelfTime,
} from '../../bench/index.ts';
import { ErrorCodes, TagwatchError } from '../../errors/index.ts';
import { formatZodIssues } from '../../model/index.ts';
import { BenchOptionsSchema } from '../../bench/options.ts';

const REPO_DIR = fileURLToPath(new URL('../../../', import.meta.url));

interface BenchFlags {
  only?: string;
  posts?: string;
  quick?: boolean;
  out: string;
  kafkaPosts?: string;
  latencyRate?: string;
  latencySeconds?: string;
  memoryTags?: string;
  eventsPerTag?: string;
  soakMinutes?: string;
  soakRate?: string;
  seed?: string;
  rate?: string;
  kafkaWorkers?: string;
  profile?: boolean;
  keep?: boolean;
  cacheDir?: string;
  child?: string;
  childInput?: string;
  childOutput?: string;
}

export function registerBenchCommand(program: Command): void {
  program
    .command('bench')
    .description('benchmarks: throughput, latency and memory against the limits measured in the same run (never part of npm test)')
    .option('--only <names>', `comma-separated subset of: ${BenchmarkNames.join(', ')}`)
    .option('--posts <n>', 'posts of the seeded stream (default 1,000,000; --quick 20,000)')
    .option('--quick', 'tiny inputs: validates the harness in a few minutes')
    .option('--out <file>', 'results JSON', 'bench/results.json')
    .option('--kafka-posts <n>', 'posts per Kafka throughput run (default min(posts, 300,000))')
    .option('--latency-rate <n>', 'offered load of the Kafka latency run, posts/s (default 10,000)')
    .option('--latency-seconds <s>', 'length of the Kafka latency run (default 30; --quick 1)')
    .option('--memory-tags <list>', 'live tag counts of the memory benchmark (default 10000,100000,1000000)')
    .option('--events-per-tag <n>', 'posts each tag sees in the memory benchmark (default 3)')
    .option('--soak-minutes <m>', 'length of the memory soak (default 2; the 1-hour figure: 60)')
    .option('--soak-rate <n>', 'offered load of the soak, posts/s (default 5,000)')
    .option('--seed <n>', 'simulator seed (default 9)')
    .option('--rate <n>', 'simulated organic posts per event-time minute (default 3,000)')
    .option('--kafka-workers <mode>', 'auto | cli (`tagwatch run --role`) | bench (the bench role workers)', 'auto')
    .option('--profile', 'CPU-profile the analyze and embedded runs and print self time per function')
    .option('--keep', 'keep the scratch directory (stores, broker logs, profiles)')
    .option('--cache-dir <dir>', 'where simulated streams are cached')
    .addOption(new Option('--child <task>', 'internal: run one benchmark task in this process').hideHelp())
    .addOption(new Option('--child-input <file>').hideHelp())
    .addOption(new Option('--child-output <file>').hideHelp())
    .action(async (flags: BenchFlags) => {
      if (flags.child !== undefined) {
        await runChildTask(flags);
        return;
      }
      const options = resolveBenchOptions(benchInput(flags));
      const progress = (message: string): void => {
        process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
      };
      const results = await runBenchmarks(options, { repoDir: REPO_DIR, progress });
      const out = resolve(options.out);
      await writeResults(out, results);
      const m = results.machine;
      process.stdout.write(
        `\ntagwatch bench — ${m.cpuModel}, ${m.cores} cores, Node ${m.node}, commit ${m.commit.slice(0, 12)}${m.dirty ? ' (+uncommitted changes)' : ''}; ` +
          `stream seed ${results.stream.seed}, ${results.stream.posts.toLocaleString('en-US')} posts\n\n${formatTable(results.rows)}\n\n`,
      );
      const profiles: Array<[string, string]> = [
        ['analyzeProfileByFile', 'analyze stage, per file'],
        ['analyzeProfile', 'analyze stage'],
        ['embeddedProfileByFile', 'embedded end-to-end, per file'],
        ['embeddedProfile', 'embedded end-to-end'],
      ];
      for (const [key, title] of profiles) {
        const summary = results.details[key] as FunctionSelfTime[] | undefined;
        if (summary !== undefined) process.stdout.write(`${formatProfileSummary(title, summary)}\n\n`);
      }
      for (const [key, value] of Object.entries(results.details)) {
        if (!key.startsWith('kafkaProfile.')) continue;
        for (const [worker, summary] of Object.entries(value as Record<string, FunctionSelfTime[]>)) {
          process.stdout.write(`${formatProfileSummary(`Kafka ${key.slice('kafkaProfile.'.length)} run, worker ${worker}`, summary)}\n\n`);
        }
      }
      process.stdout.write(`results: ${out}\n`);
    });
}

function integer(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value.replace(/[_,]/g, ''));
  if (value.trim() === '' || !Number.isFinite(n)) throw new TagwatchError(ErrorCodes.USAGE, `${flag} must be a number, got "${value}"`);
  return n;
}

function benchInput(flags: BenchFlags): BenchOptionsInput {
  const raw: Record<string, unknown> = {
    out: flags.out,
    quick: flags.quick === true,
    profile: flags.profile === true,
    keep: flags.keep === true,
    kafkaWorkers: flags.kafkaWorkers,
  };
  if (flags.only !== undefined) raw['only'] = flags.only.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
  const numbers: Array<[string, string, string | undefined]> = [
    ['posts', '--posts', flags.posts],
    ['kafkaPosts', '--kafka-posts', flags.kafkaPosts],
    ['latencyRate', '--latency-rate', flags.latencyRate],
    ['latencySeconds', '--latency-seconds', flags.latencySeconds],
    ['eventsPerTag', '--events-per-tag', flags.eventsPerTag],
    ['soakMinutes', '--soak-minutes', flags.soakMinutes],
    ['soakRate', '--soak-rate', flags.soakRate],
    ['seed', '--seed', flags.seed],
    ['ratePerMin', '--rate', flags.rate],
  ];
  for (const [key, flag, value] of numbers) {
    const n = integer(flag, value);
    if (n !== undefined) raw[key] = n;
  }
  if (flags.memoryTags !== undefined) raw['memoryTags'] = flags.memoryTags.split(',').map((s) => integer('--memory-tags', s.trim()));
  if (flags.cacheDir !== undefined) raw['cacheDir'] = resolve(flags.cacheDir);
  const result = BenchOptionsSchema.safeParse(raw);
  if (!result.success) throw new TagwatchError(ErrorCodes.USAGE, `invalid bench options: ${formatZodIssues(result.error)}`);
  return raw as BenchOptionsInput;
}

/**
 * Child mode: one task, JSON in and out through files. The process exits as soon as the result
 * is written: a task's clients (chDB, kafkajs) must not keep a finished child alive.
 */
async function runChildTask(flags: BenchFlags): Promise<void> {
  const task = childTasks[flags.child as string];
  if (task === undefined || flags.childInput === undefined || flags.childOutput === undefined) {
    throw new TagwatchError(ErrorCodes.USAGE, `--child needs a known task (${Object.keys(childTasks).join(', ')}), --child-input and --child-output`);
  }
  try {
    const input: unknown = JSON.parse(await readFile(flags.childInput, 'utf8'));
    const result = await task(input);
    await writeFile(flags.childOutput, JSON.stringify(result));
  } catch (err) {
    process.stderr.write(`bench child ${flags.child} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  }
  process.exit(0);
}
