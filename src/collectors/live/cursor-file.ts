import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Logger } from 'pino';
import { z } from 'zod';

const CursorFileSchema = z.looseObject({
  /** The source's resume position (Jetstream: a `time_us`). */
  cursor: z.number().int().positive(),
  /** When it was written (ISO 8601), for people reading the file. */
  savedAt: z.string().optional(),
});

/**
 * A live source's resume cursor, kept in a small JSON file so a restarted process resumes where
 * the last one stopped. Written to a temporary file then renamed, so a crash mid-write leaves the
 * previous cursor intact. A missing file is a first start; an unreadable one is logged and ignored
 * (the source starts live rather than not at all).
 */
export class CursorFile {
  readonly path: string;
  readonly #log: Logger;
  #saved: number | undefined;
  #writing: Promise<void> = Promise.resolve();

  constructor(path: string, log: Logger) {
    this.path = path;
    this.#log = log;
  }

  async load(): Promise<number | undefined> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') this.#log.warn({ err, path: this.path }, 'resume cursor file unreadable; starting live');
      return undefined;
    }
    let parsed: ReturnType<typeof CursorFileSchema.safeParse>;
    try {
      parsed = CursorFileSchema.safeParse(JSON.parse(text));
    } catch (err) {
      this.#log.warn({ err, path: this.path }, 'resume cursor file is not JSON; starting live');
      return undefined;
    }
    if (!parsed.success) {
      this.#log.warn({ err: parsed.error, path: this.path }, 'resume cursor file has the wrong shape; starting live');
      return undefined;
    }
    this.#saved = parsed.data.cursor;
    return parsed.data.cursor;
  }

  /** Writes `cursor` unless it is already the saved one. Never rejects: a failed write is logged and retried at the next save. */
  save(cursor: number, now: number): Promise<void> {
    if (cursor <= 0 || cursor === this.#saved) return this.#writing;
    this.#writing = this.#writing.then(() => this.#write(cursor, now));
    return this.#writing;
  }

  async #write(cursor: number, now: number): Promise<void> {
    if (cursor === this.#saved) return;
    const temporary = `${this.path}.${process.pid}.tmp`;
    try {
      await mkdir(dirname(this.path), { recursive: true });
      await writeFile(temporary, `${JSON.stringify({ cursor, savedAt: new Date(now).toISOString() })}\n`, 'utf8');
      await rename(temporary, this.path);
      this.#saved = cursor;
    } catch (err) {
      this.#log.warn({ err, path: this.path }, 'could not save the resume cursor; will try again');
      await rm(temporary, { force: true }).catch((cleanupErr: unknown) => this.#log.debug({ err: cleanupErr }, 'temporary cursor file not removed'));
    }
  }
}
