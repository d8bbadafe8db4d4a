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

/** Lines are handed to the file in chunks of about this many characters. */
const CHUNK_CHARS = 1 << 18;

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
  function* chunks(): Generator<string> {
    let buffer = '';
    for (const post of simulation.posts()) {
      buffer += serializer.line(post);
      if (buffer.length >= CHUNK_CHARS) {
        yield buffer;
        buffer = '';
        onProgress?.(simulation.progress());
      }
    }
    if (buffer.length > 0) yield buffer;
    onProgress?.(simulation.progress());
  }
  const source = Readable.from(chunks(), { objectMode: false });
  const file = createWriteStream(outFile);
  try {
    if (outFile.endsWith('.gz')) await pipeline(source, createGzip({ level: 4 }), file);
    else await pipeline(source, file);
  } catch (err) {
    throw new TagwatchError(ErrorCodes.FILE_READ, `cannot write simulation to ${outFile}: ${(err as Error).message}`, { cause: err });
  }
  const truth = simulation.truth();
  if (truthFile !== undefined) {
    try {
      await writeFile(truthFile, `${JSON.stringify(truth, null, 2)}\n`);
    } catch (err) {
      throw new TagwatchError(ErrorCodes.FILE_READ, `cannot write truth to ${truthFile}: ${(err as Error).message}`, { cause: err });
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
