import type { CollectorStats } from '../../../../src/collectors/types.ts';
import { RecordingOutput } from './recording-output.ts';

interface RunnableCollector {
  run(out: RecordingOutput, signal: AbortSignal): Promise<CollectorStats>;
  close(): Promise<void>;
}

/**
 * Starts `collector` into a fresh RecordingOutput and registers its teardown: abort, wait for the
 * run to end (its rejection is the test's to assert, so it is not reported here), close it, then
 * whatever else the test opened for it (`also`, e.g. its protocol server).
 */
export function startCollector(
  collector: RunnableCollector,
  cleanups: Array<() => Promise<void>>,
  also: () => Promise<void> = async () => undefined,
): { output: RecordingOutput; abort: AbortController; running: Promise<CollectorStats> } {
  const output = new RecordingOutput();
  const abort = new AbortController();
  const running = collector.run(output, abort.signal);
  running.catch(() => undefined);
  cleanups.push(async () => {
    abort.abort();
    await running.catch(() => undefined);
    await collector.close();
    await also();
  });
  return { output, abort, running };
}
