import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const TAGWATCH_BIN = fileURLToPath(new URL('../../bin/tagwatch.js', import.meta.url));

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs `tagwatch …` as a user would, in its own process, and collects its output. */
export function runTagwatch(args: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [TAGWATCH_BIN, ...args], {
      cwd: options.cwd,
      env: { ...process.env, TAGWATCH_LOG_LEVEL: 'warn', ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

/** `tagwatch sql --format JSONEachRow` parsed into rows; fails the test with the CLI's stderr otherwise. */
export async function sqlRows<T = Record<string, unknown>>(store: string, query: string, cwd?: string): Promise<T[]> {
  const result = await runTagwatch(['sql', '--store', store, '--format', 'JSONEachRow', query], cwd === undefined ? {} : { cwd });
  if (result.code !== 0) throw new Error(`tagwatch sql failed (${result.code}): ${result.stderr}`);
  return result.stdout
    .split('\n')
    .filter((line) => line.trim().length > 0)
    .map((line) => JSON.parse(line) as T);
}
