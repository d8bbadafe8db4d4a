import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { loadConfig } from '../../config/index.ts';
import { ErrorCodes, TagwatchError } from '../../errors/index.ts';
import {
  assertThresholds,
  EvalThresholdsSchema,
  formatReportText,
  readEvalFlags,
  readTruthFile,
  scoreDetections,
  type EvalThresholds,
} from '../../eval/index.ts';
import { createLogger } from '../../log/index.ts';
import { openStore } from '../../store/index.ts';

interface EvalCommandOptions {
  truth: string;
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
    .requiredOption('--truth <file>', 'truth file written by `tagwatch simulate --truth`')
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
  tagwatch eval --truth t.json --store st --min-recall 0.95 --min-precision 0.9 --min-f1 0.85 --max-latency-s 120 --max-hard-fp 0`,
    )
    .action(async (options: EvalCommandOptions) => {
      await runEval(options);
    });
}

async function runEval(options: EvalCommandOptions): Promise<void> {
  const thresholds: EvalThresholds = EvalThresholdsSchema.parse({
    minRecall: options.minRecall,
    minPrecision: options.minPrecision,
    minF1: options.minF1,
    maxLatencySec: options.maxLatencyS,
    maxHardFp: options.maxHardFp,
  });
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
