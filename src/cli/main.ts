import { Command, CommanderError } from 'commander';
import { ErrorCodes, TagwatchError, type ErrorCode } from '../errors/index.ts';
import { commandRegistrations } from './commands/index.ts';

/** Exit codes: 0 ok, 1 runtime failure, 2 usage or configuration error, 3 a threshold not met (eval). */
export const ExitCodes = { ok: 0, failure: 1, usage: 2, threshold: 3 } as const;

/** Errors the user fixes in the command line or the configuration (a refused token included): exit 2. */
const USAGE_CODES: ReadonlySet<ErrorCode> = new Set([
  ErrorCodes.CONFIG_INVALID,
  ErrorCodes.CONFIG_FILE,
  ErrorCodes.USAGE,
  ErrorCodes.SOURCE_AUTH,
  ErrorCodes.STORE_READONLY,
]);

export function buildProgram(): Command {
  const program = new Command('tagwatch')
    .description('Streaming hashtag propagation monitor: spread, velocity, bursts and coordinated pushes')
    .version('0.1.0')
    .showHelpAfterError()
    .exitOverride();
  for (const register of commandRegistrations) register(program);
  return program;
}

async function main(argv: string[]): Promise<void> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      process.exitCode = err.exitCode === 0 ? ExitCodes.ok : ExitCodes.usage;
      return;
    }
    if (err instanceof TagwatchError) {
      process.stderr.write(`tagwatch: ${err.message}\n`);
      process.exitCode = USAGE_CODES.has(err.code) ? ExitCodes.usage : err.code === ErrorCodes.EVAL_THRESHOLD ? ExitCodes.threshold : ExitCodes.failure;
      return;
    }
    process.stderr.write(`tagwatch: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = ExitCodes.failure;
  }
}

await main(process.argv);
