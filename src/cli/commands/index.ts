import type { Command } from 'commander';

/**
 * Each subcommand lives in its own module and registers itself here. Adding a command is one
 * import and one entry.
 */
export const commandRegistrations: ReadonlyArray<(program: Command) => void> = [];
