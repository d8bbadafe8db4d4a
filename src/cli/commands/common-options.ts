import type { Command } from 'commander';
import type { Logger } from 'pino';
import { loadConfig, type Config } from '../../config/index.ts';
import { createLogger } from '../../log/index.ts';

/** Flags shared by the commands that run the pipeline. */
export interface PipelineFlags {
  config?: string;
  store?: string;
  logLevel?: string;
}

export function addPipelineFlags(command: Command): Command {
  return command
    .option('-c, --config <file>', 'configuration file (YAML or JSON)')
    .option('--store <dir>', 'embedded store directory (overrides store.path)')
    .option('--log-level <level>', 'log level (fatal, error, warn, info, debug, trace, silent)');
}

/** Loads the configuration once (defaults < file < env < flags) and makes the root logger. */
export async function configFromFlags(flags: PipelineFlags, overrides: Record<string, unknown> = {}): Promise<{ config: Config; log: Logger }> {
  const fromFlags: Record<string, unknown> = { ...overrides };
  if (flags.store !== undefined) fromFlags['store'] = { ...(fromFlags['store'] as object | undefined), path: flags.store };
  if (flags.logLevel !== undefined) fromFlags['log'] = { level: flags.logLevel };
  const config = await loadConfig({ file: flags.config, overrides: fromFlags });
  return { config, log: createLogger({ level: config.log.level }) };
}

/** pino writes asynchronously: give it a chance to empty its buffer before the process ends. */
export async function flushLogs(log: Logger): Promise<void> {
  await new Promise<void>((resolve) => log.flush(() => resolve()));
}
