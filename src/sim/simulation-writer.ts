import { createWriteStream } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { ErrorCodes, TagwatchError } from '../errors/index.ts';
import type { SimOptionsInput } from './options.ts';
import { PostSerializer } from './post-serializer.ts';
import { Simulation, type SimulationProgress } from './simulation.ts';
import type { Truth } from './truth.ts';

/** Lines are handed to the file in chunks of about this many bytes. */
const CHUNK_BYTES = 1 << 20;

export interface WriteSimulationSettings {
  /** Called every chunk (about every thousand posts) with the simulation's progress. */
  onProgress?: (progress: SimulationProgress) => void;
}

export interface SimulationSummary {
  posts: number;
  accounts: number;
  campaigns: number;
  hardCases: number;
  bursts: number;
  outFile: string;
  truthFile: string | undefined;
  truth: Truth;
}

/**
 * Streams a simulation to a JSONL file (gzip when the name ends in `.gz`), one wire post per line,
 * with backpressure: memory stays flat whatever the length. Then writes the truth file, if asked.
 */
export async function writeSimulation(
  input: SimOptionsInput,
  outFile: string,
  truthFile?: string,
  settings: WriteSimulationSettings = {},
): Promise<SimulationSummary> {
  const simulation = new Simulation(input);
  const onProgress = settings.onProgress;
  const serializer = new PostSerializer();
  // Lines are encoded straight into fixed-size buffers: no long intermediate strings to flatten.
  function* chunks(): Generator<Buffer> {
    let chunk = Buffer.allocUnsafe(CHUNK_BYTES);
    let used = 0;
    for (const post of simulation.posts()) {
      const line = serializer.line(post);
      // A UTF-16 code unit takes at most 3 bytes in UTF-8.
      if (used + line.length * 3 > CHUNK_BYTES) {
        if (used > 0) yield chunk.subarray(0, used);
        onProgress?.(simulation.progress());
        chunk = Buffer.allocUnsafe(Math.max(CHUNK_BYTES, line.length * 3));
        used = 0;
      }
      used += chunk.write(line, used, 'utf8');
    }
    if (used > 0) yield chunk.subarray(0, used);
    onProgress?.(simulation.progress());
  }
  const source = Readable.from(chunks(), { objectMode: false });
  const file = createWriteStream(outFile);
  try {
    if (outFile.endsWith('.gz')) await pipeline(source, createGzip({ level: 4 }), file);
    else await pipeline(source, file);
  } catch (err) {
    throw new TagwatchError(ErrorCodes.FILE_WRITE, `cannot write simulation to ${outFile}: ${(err as Error).message}`, { cause: err });
  }
  const truth = simulation.truth();
  if (truthFile !== undefined) {
    try {
      await writeFile(truthFile, `${JSON.stringify(truth, null, 2)}\n`);
    } catch (err) {
      throw new TagwatchError(ErrorCodes.FILE_WRITE, `cannot write truth to ${truthFile}: ${(err as Error).message}`, { cause: err });
    }
  }
  return {
    posts: truth.stats.posts,
    accounts: truth.stats.accounts,
    campaigns: truth.campaigns.length,
    hardCases: truth.hardCases.length,
    bursts: truth.bursts.length,
    outFile,
    truthFile,
    truth,
  };
}
