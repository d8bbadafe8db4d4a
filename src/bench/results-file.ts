import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { BenchResults } from './types.ts';

/** Writes the results as pretty JSON, atomically (a reader never sees half a file). */
export async function writeResults(file: string, results: BenchResults): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const staging = `${file}.${process.pid}.tmp`;
  await writeFile(staging, `${JSON.stringify(results, null, 2)}\n`);
  await rename(staging, file);
}
