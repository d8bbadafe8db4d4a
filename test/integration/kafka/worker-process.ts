import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

/** A child process running a Kafka worker; `ready` resolves when it printed its ready line. */
export interface WorkerProcess {
  child: ChildProcess;
  ready: Promise<void>;
  /** Everything it wrote to stderr (for failure messages). */
  stderr(): string;
  /** SIGTERM and wait for the exit code. */
  stop(): Promise<number | null>;
  kill(): Promise<void>;
}

/**
 * Starts `script` (TypeScript, through tsx) with `args`; it is ready when a line of its stdout or
 * stderr matches `readyLine` (default: a line `ready`).
 */
export function spawnWorker(script: string | URL, env: Record<string, string>, args: string[] = [], readyLine: RegExp = /^ready$/): WorkerProcess {
  const file = script instanceof URL ? fileURLToPath(script) : script;
  const child = spawn(process.execPath, ['--import', 'tsx', file, ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    err += chunk.toString();
    if (err.length > 200_000) err = err.slice(-100_000);
  });
  const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  const ready = new Promise<void>((resolve, reject) => {
    for (const stream of [child.stdout, child.stderr]) {
      createInterface({ input: stream as NodeJS.ReadableStream }).on('line', (line) => {
        if (readyLine.test(line.trim())) resolve();
      });
    }
    void exited.then(([code, signal]) => reject(new Error(`worker exited (${code ?? signal}) before it was ready:\n${err.slice(-4_000)}`)));
  });
  ready.catch(() => undefined);
  return {
    child,
    ready,
    stderr: () => err,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      child.kill('SIGTERM');
      const [code] = await exited;
      return code;
    },
    async kill() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGKILL');
      await exited;
    },
  };
}
