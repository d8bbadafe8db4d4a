import type { Command } from 'commander';
import { registerBenchCommand } from './bench.ts';
import { registerDemoCommand } from './demo.ts';
import { registerEvalCommand } from './eval.ts';
import { registerReplayCommand } from './replay.ts';
import { registerRunCommand } from './run.ts';
import { registerSimulateCommand } from './simulate.ts';
import { registerSqlCommand } from './sql.ts';

/**
 * Each subcommand lives in its own module and registers itself here. Adding a command is one
 * import and one entry.
 */
export const commandRegistrations: ReadonlyArray<(program: Command) => void> = [
  registerDemoCommand,
  registerReplayCommand,
  registerSimulateCommand,
  registerSqlCommand,
  registerRunCommand,
  registerEvalCommand,
  registerBenchCommand,
];
