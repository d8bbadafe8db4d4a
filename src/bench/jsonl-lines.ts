import { createReadStream } from 'node:fs';

/**
 * The lines of a JSONL file in arrays of whatever one read chunk holds (empty lines skipped).
 * Faster than `readline` (no event per line), so it does not lower the parse limit it serves.
 */
export async function* readLineChunks(file: string, chunkBytes = 1 << 20): AsyncGenerator<string[]> {
  const stream = createReadStream(file, { highWaterMark: chunkBytes, encoding: 'utf8' });
  let rest = '';
  for await (const chunk of stream as AsyncIterable<string>) {
    const text = rest + chunk;
    const lines = text.split('\n');
    rest = lines.pop() ?? '';
    yield lines.filter((l) => l.length > 0);
  }
  if (rest.length > 0) yield [rest];
}

/** Every line of a JSONL file, in memory (the benchmarks' inputs are built before the clock starts). */
export async function readAllLines(file: string, limit = Number.POSITIVE_INFINITY): Promise<string[]> {
  const out: string[] = [];
  for await (const lines of readLineChunks(file)) {
    for (const line of lines) {
      if (out.length >= limit) return out;
      out.push(line);
    }
  }
  return out;
}
