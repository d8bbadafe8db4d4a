import { readFile } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import { parse as parseYaml } from 'yaml';
import { ErrorCodes, TagwatchError } from '../../errors/index.ts';
import { formatZodIssues } from '../../model/index.ts';
import { SimOptionsSchema, writeSimulation, type SimOptionsInput } from '../../sim/index.ts';

interface SimulateFlags {
  seed: string;
  hours?: string;
  rate?: string;
  start?: string;
  scenario: string;
  scale?: string;
  out: string;
  truth?: string;
  options?: string;
}

export function registerSimulateCommand(program: Command): void {
  program
    .command('simulate')
    .description('Write a deterministic simulated stream (JSONL of wire-format posts, sorted by time) and its truth labels')
    .requiredOption('--seed <n>', 'seed: a non-negative integer; the same seed gives the same bytes')
    .option('--hours <h>', 'simulated hours (default 2; 16 for macronleaks)')
    .option('--rate <n>', 'mean organic posts per minute (default 200; 400 × scale for macronleaks)')
    .option('--start <iso>', 'start of the simulated span, ISO 8601 (default 2024-05-06T00:00Z; macronleaks 2017-05-05T16:00Z)')
    .option('--scenario <name>', 'default | macronleaks', 'default')
    .option('--scale <f>', 'volume factor of the macronleaks scenario (1 = published figures)')
    .requiredOption('--out <file>', 'output JSONL file (.gz suffix: gzip)')
    .option('--truth <file>', 'write the truth labels (campaigns, hard cases, bursts) as JSON here')
    .option('--options <file>', 'JSON or YAML file of further simulator options (campaign ranges, hard cases…); flags win')
    .action(async (flags: SimulateFlags) => {
      const input = await buildInput(flags);
      const progress = process.stderr.isTTY ? new cliProgress.SingleBar({ format: 'simulate |{bar}| {percentage}% | {posts} posts', hideCursor: true, stream: process.stderr }, cliProgress.Presets.shades_classic) : undefined;
      progress?.start(1000, 0, { posts: 0 });
      const began = performance.now();
      try {
        const summary = await writeSimulation(input, flags.out, flags.truth, {
          onProgress: (p) => progress?.update(Math.round(p.fraction * 1000), { posts: p.posts }),
        });
        progress?.stop();
        const seconds = (performance.now() - began) / 1000;
        process.stdout.write(
          `simulated ${summary.posts} posts by ${summary.accounts} accounts, ${summary.campaigns} campaigns, ${summary.hardCases} hard cases, ${summary.bursts} bursts → ${summary.outFile}` +
            `${summary.truthFile !== undefined ? ` (truth: ${summary.truthFile})` : ''} in ${seconds.toFixed(1)} s\n`,
        );
      } finally {
        progress?.stop();
      }
    });
}

async function buildInput(flags: SimulateFlags): Promise<SimOptionsInput> {
  let base: Record<string, unknown> = {};
  if (flags.options !== undefined) {
    let text: string;
    try {
      text = await readFile(flags.options, 'utf8');
    } catch (err) {
      throw new TagwatchError(ErrorCodes.FILE_READ, `cannot read options file ${flags.options}: ${(err as Error).message}`, { cause: err });
    }
    const parsed: unknown = flags.options.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
    if (parsed === null || typeof parsed !== 'object') throw new TagwatchError(ErrorCodes.USAGE, `options file ${flags.options} must hold an object`);
    base = parsed as Record<string, unknown>;
  }
  const input: Record<string, unknown> = { ...base, seed: number('--seed', flags.seed), scenario: flags.scenario };
  if (flags.hours !== undefined) input['hours'] = number('--hours', flags.hours);
  if (flags.rate !== undefined) input['ratePerMin'] = number('--rate', flags.rate);
  if (flags.scale !== undefined) input['scale'] = number('--scale', flags.scale);
  if (flags.start !== undefined) input['start'] = flags.start;
  const result = SimOptionsSchema.safeParse(input);
  if (!result.success) throw new TagwatchError(ErrorCodes.USAGE, `invalid simulate options: ${formatZodIssues(result.error)}`);
  return input as SimOptionsInput;
}

function number(flag: string, value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n)) throw new TagwatchError(ErrorCodes.USAGE, `${flag} must be a number, got "${value}"`);
  return n;
}
