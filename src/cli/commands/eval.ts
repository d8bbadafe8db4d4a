import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { loadConfig } from '../../config/index.ts';
import { ErrorCodes, TagwatchError } from '../../errors/index.ts';
import {
  assertThresholds,
  DetectionTargets,
  evaluateSimulatedSeeds,
  EvalThresholdsSchema,
  formatPooledReportText,
  formatSeedProgress,
  formatReportText,
  readEvalFlags,
  readTruthFile,
  scoreDetections,
  SeedListSchema,
  SimulatedEvalOptionsSchema,
  type EvalThresholds,
} from '../../eval/index.ts';
import { createLogger } from '../../log/index.ts';
import { openStore } from '../../store/index.ts';

interface EvalCommandOptions {
  truth?: string;
  simulate?: number[];
  hours?: number;
  store?: string;
  config?: string;
  format: 'text' | 'json';
  minRecall?: number;
  minPrecision?: number;
  minF1?: number;
  maxLatencyS?: number;
  maxHardFp?: number;
}

export function registerEvalCommand(program: Command): void {
  program
    .command('eval')
    .description("Score the store's coordination flags against the simulator's truth (recall, precision, account F1, latency, hard cases)")
    .option('--truth <file>', 'truth file written by `tagwatch simulate --truth` (required without --simulate)')
    .addOption(
      new Option('--simulate <seeds>', 'instead: simulate each seed (e.g. 701-730 or 1,2,5-7), run the configured detector over it, pool the scores')
        .argParser(seedList)
        .conflicts(['truth', 'store']),
    )
    .option('--hours <h>', 'with --simulate: simulated hours per seed (default 2)', hours)
    .option('--store <dir>', 'embedded store directory (default: store.path, ./data); ignored when CLICKHOUSE_URL is set')
    .option('--config <file>', 'YAML/JSON configuration file')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .option('--min-recall <x>', 'fail (exit 3) below this campaign recall (0..1)', share)
    .option('--min-precision <x>', 'fail below this tag precision (0..1)', share)
    .option('--min-f1 <x>', 'fail below this mean account F1 (0..1)', share)
    .option('--max-latency-s <n>', 'fail above this median detection latency, in seconds of event time', seconds)
    .option('--max-hard-fp <n>', 'fail when more hard cases than this get a coordinated flag', count)
    .addHelpText(
      'after',
      `
A campaign counts as detected when a coordinated flag on its tag first fires between its first
post and 30 minutes after its last. Exit code 3 when a threshold is not met. Example:
  tagwatch simulate --seed 7 --hours 6 --out s.jsonl --truth t.json
  tagwatch replay s.jsonl --store st --speed max
  tagwatch eval --truth t.json --store st --min-recall 0.95 --min-precision 0.9 --min-f1 0.85 --max-latency-s 120 --max-hard-fp 0

With --simulate the floors apply to the figures pooled over all seeds; the per-seed table also
counts the seeds that hold each target on their own (the detection targets — recall 0.95, tag
precision 0.9, F1 0.85, median latency 120 s, no hard case — unless a flag sets one):
  tagwatch eval --simulate 701-730 --min-recall 0.95 --min-precision 0.9 --min-f1 0.85 --max-latency-s 120 --max-hard-fp 0`,
    )
    .action(async (options: EvalCommandOptions) => {
      await runEval(options);
    });
}

async function runEval(options: EvalCommandOptions): Promise<void> {
  const given: Record<string, number | undefined> = {
    minRecall: options.minRecall,
    minPrecision: options.minPrecision,
    minF1: options.minF1,
    maxLatencySec: options.maxLatencyS,
    maxHardFp: options.maxHardFp,
  };
  const thresholds: EvalThresholds = EvalThresholdsSchema.parse(Object.fromEntries(Object.entries(given).filter(([, v]) => v !== undefined)));
  if (options.simulate !== undefined) {
    await runSimulatedEval(options, options.simulate, thresholds);
    return;
  }
  if (options.hours !== undefined) throw new TagwatchError(ErrorCodes.USAGE, '--hours applies only with --simulate');
  if (options.truth === undefined) {
    throw new TagwatchError(ErrorCodes.USAGE, 'give --truth FILE (score a replayed run in a store) or --simulate SEEDS (simulate and score each seed)');
  }
  const truth = await readTruthFile(options.truth);
  const config = await loadConfig({
    file: options.config,
    overrides: options.store === undefined ? {} : { store: { path: options.store } },
  });
  if (config.store.url === undefined && !existsSync(config.store.path)) {
    throw new TagwatchError(ErrorCodes.USAGE, `no store at ${resolve(config.store.path)} (give --store DIR, or set CLICKHOUSE_URL)`);
  }
  const log = createLogger({ level: config.log.level === 'info' ? 'warn' : config.log.level });
  const store = await openStore(config.store, log, { migrate: false });
  let report;
  try {
    report = scoreDetections(truth, await readEvalFlags(store));
  } finally {
    await store.close();
  }
  process.stdout.write(options.format === 'json' ? `${JSON.stringify(report, null, 2)}\n` : formatReportText(report));
  assertThresholds(report, thresholds);
}

async function runSimulatedEval(options: EvalCommandOptions, seeds: number[], thresholds: EvalThresholds): Promise<void> {
  const config = await loadConfig({ file: options.config });
  const result = await evaluateSimulatedSeeds(
    options.hours === undefined ? { seeds } : { seeds, hours: options.hours },
    config.coordination,
    { ...DetectionTargets, ...thresholds },
    (progress) => process.stderr.write(formatSeedProgress(progress)),
  );
  process.stdout.write(options.format === 'json' ? `${JSON.stringify(result, null, 2)}\n` : formatPooledReportText(result));
  assertThresholds(result, thresholds);
}

function seedList(value: string): number[] {
  const parsed = SeedListSchema.safeParse(value);
  if (!parsed.success) throw new InvalidArgumentError(parsed.error.issues.map((i) => i.message).join('; '));
  return parsed.data;
}

function hours(value: string): number {
  const parsed = SimulatedEvalOptionsSchema.shape.hours.safeParse(value.trim() === '' ? Number.NaN : Number(value));
  if (!parsed.success) throw new InvalidArgumentError(`expected a number of hours: ${parsed.error.issues.map((i) => i.message).join('; ')}`);
  return parsed.data;
}

function share(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0 || n > 1) throw new InvalidArgumentError('expected a number between 0 and 1');
  return n;
}

function seconds(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError('expected a non-negative number of seconds');
  return n;
}

function count(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('expected a non-negative integer');
  return n;
}
