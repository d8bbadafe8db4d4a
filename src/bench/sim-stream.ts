import { createHash } from 'node:crypto';
import { createWriteStream, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { once } from 'node:events';
import { Simulation } from '../sim/index.ts';

/** A seeded simulator stream on disk, as every benchmark reads it. */
export interface SimStream {
  file: string;
  posts: number;
  bytes: number;
  seed: number;
  ratePerMin: number;
  /** Event time of the first and last post, epoch ms. */
  firstTs: number;
  lastTs: number;
  /** Hash of the simulator sources the file was generated with (part of the cache key). */
  simVersion: string;
}

export interface SimStreamSpec {
  seed: number;
  ratePerMin: number;
  posts: number;
  /** A flat organic rate (no diurnal curve): the same load in every event-time hour. */
  flat?: boolean;
}

/** Hash of every source file of the simulator: a changed simulator gives a new cache entry. */
export function simulatorVersion(simDir: string): string {
  const hash = createHash('sha256');
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.ts')) hash.update(entry.name).update(readFileSync(path));
    }
  };
  walk(simDir);
  return hash.digest('hex').slice(0, 12);
}

/**
 * The first `posts` posts of `new Simulation({ seed, ratePerMin, hours })`, with hours enough to
 * hold them, as JSONL (one wire post per line, in event-time order). Cached in `cacheDir`;
 * generated into a temporary file renamed into place, so an interrupted run leaves no half file.
 */
export async function ensureSimStream(spec: SimStreamSpec, cacheDir: string, simDir: string, progress: (m: string) => void): Promise<SimStream> {
  const simVersion = simulatorVersion(simDir);
  await mkdir(cacheDir, { recursive: true });
  const base = join(cacheDir, `sim-s${spec.seed}-r${spec.ratePerMin}-n${spec.posts}${spec.flat === true ? '-steady' : ''}-${simVersion}`);
  const file = `${base}.jsonl`;
  const meta = `${base}.json`;
  if (existsSync(file) && existsSync(meta)) {
    const stream = JSON.parse(await readFile(meta, 'utf8')) as SimStream;
    if (stream.posts === spec.posts && statSync(file).size === stream.bytes) return { ...stream, file };
  }
  progress(`generating the seeded stream: ${spec.posts.toLocaleString('en-US')} posts (seed ${spec.seed}, ${spec.ratePerMin}/min) → ${file}`);
  // The diurnal curve puts the mean below ratePerMin: ask for twice the time and stop at `posts`
  // (the generator is lazy); a span still too short is doubled.
  let hours = Math.max(1, Math.ceil((spec.posts / spec.ratePerMin / 60) * 2 + 1));
  for (;;) {
    const sim = new Simulation({ seed: spec.seed, ratePerMin: spec.ratePerMin, hours, background: spec.flat === true ? { diurnalAmplitude: 0 } : {} });
    const written = await writePrefix(sim, spec.posts, `${file}.${process.pid}.tmp`);
    if (written.posts >= spec.posts) {
      const stream: SimStream = { file, posts: written.posts, bytes: written.bytes, seed: spec.seed, ratePerMin: spec.ratePerMin, firstTs: written.firstTs, lastTs: written.lastTs, simVersion };
      await rename(`${file}.${process.pid}.tmp`, file);
      await writeFile(meta, JSON.stringify(stream));
      return stream;
    }
    progress(`${hours} simulated hours gave ${written.posts.toLocaleString('en-US')} posts: trying ${hours * 2}`);
    hours *= 2;
  }
}

/** Writes the first `posts` posts of a simulation as JSONL into `staging`. */
async function writePrefix(simulation: Simulation, posts: number, staging: string): Promise<{ posts: number; bytes: number; firstTs: number; lastTs: number }> {
  const out = createWriteStream(staging);
  let written = 0;
  let bytes = 0;
  let firstTs = 0;
  let lastTs = 0;
  let buffer = '';
  for (const post of simulation.posts()) {
    const line = `${JSON.stringify(post)}\n`;
    buffer += line;
    bytes += Buffer.byteLength(line);
    const ts = Date.parse(post.createdAt);
    if (written === 0) firstTs = ts;
    lastTs = ts;
    if (++written >= posts) break;
    if (buffer.length >= 1 << 18) {
      if (!out.write(buffer)) await once(out, 'drain');
      buffer = '';
    }
  }
  out.end(buffer);
  await once(out, 'finish');
  return { posts: written, bytes, firstTs, lastTs };
}
