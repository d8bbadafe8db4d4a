import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ErrorCodes, TagwatchError } from '../errors/index.ts';
import type { ChildSettings } from './types.ts';

let sequence = 0;

export interface ChildLaunch {
  repoDir: string;
  workDir: string;
  task: string;
  input: unknown;
  settings?: ChildSettings | undefined;
  /** Extra environment (the child also gets TAGWATCH_LOG_LEVEL=warn and no KAFKA_BROKERS unless given). */
  env?: Record<string, string>;
}

/** The command line of a child task: node [flags] bin/tagwatch.js bench --child TASK --child-input IN --child-output OUT. */
export function childArgs(repoDir: string, task: string, inputFile: string, outputFile: string, settings: ChildSettings = {}): string[] {
  const flags = [...(settings.nodeFlags ?? [])];
  if (settings.heapMb !== undefined) flags.push(`--max-old-space-size=${settings.heapMb}`);
  return [...flags, join(repoDir, 'bin', 'tagwatch.js'), 'bench', '--child', task, '--child-input', inputFile, '--child-output', outputFile];
}

/**
 * Runs one child task in a fresh Node process (a clean heap, its own chDB engine) and returns
 * what it wrote to its output file. A non-zero exit or a timeout is an error carrying the end of
 * the child's stderr.
 */
export async function runChildProcess<T>(launch: ChildLaunch): Promise<T> {
  const n = ++sequence;
  const inputFile = join(launch.workDir, `child-${n}-${launch.task}.in.json`);
  const outputFile = join(launch.workDir, `child-${n}-${launch.task}.out.json`);
  await writeFile(inputFile, JSON.stringify(launch.input));
  const child = spawn(process.execPath, childArgs(launch.repoDir, launch.task, inputFile, outputFile, launch.settings), {
    cwd: launch.repoDir,
    env: { ...process.env, TAGWATCH_LOG_LEVEL: 'warn', KAFKA_BROKERS: '', ...launch.env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    if (stderr.length > 64_000) stderr = stderr.slice(-32_000);
  });
  const timeoutMs = launch.settings?.timeoutMs;
  let timedOut = false;
  const timer =
    timeoutMs === undefined
      ? undefined
      : setTimeout(() => {
          timedOut = true;
          child.kill('SIGKILL');
        }, timeoutMs);
  const [code, signal] = (await once(child, 'exit')) as [number | null, NodeJS.Signals | null];
  if (timer !== undefined) clearTimeout(timer);
  if (timedOut) throw new TagwatchError(ErrorCodes.BENCH_FAILED, `child task ${launch.task} timed out after ${timeoutMs} ms:\n${stderr.slice(-3_000)}`);
  if (code !== 0) {
    throw new TagwatchError(ErrorCodes.BENCH_FAILED, `child task ${launch.task} exited with ${code ?? signal}:\n${stderr.slice(-3_000)}`);
  }
  try {
    return JSON.parse(await readFile(outputFile, 'utf8')) as T;
  } catch (cause) {
    throw new TagwatchError(ErrorCodes.BENCH_FAILED, `child task ${launch.task} wrote no result: ${(cause as Error).message}\n${stderr.slice(-3_000)}`, { cause });
  }
}
