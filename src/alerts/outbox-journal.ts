import { mkdir, open, readFile, rename, rm, type FileHandle } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Logger } from 'pino';
import { z } from 'zod';
import { ClosedError, ErrorCodes, TagwatchError } from '../errors/index.ts';
import { AlertTypes } from './types.ts';

const JOURNAL_FILE = 'outbox.jsonl';
const LOCK_FILE = 'outbox.lock';

const EntrySchema = z.object({
  id: z.string().min(1),
  subscriber: z.string().min(1),
  flagId: z.string().min(1),
  tag: z.string(),
  type: z.enum([AlertTypes.opened, AlertTypes.updated]),
  revision: z.number().int().min(0),
  createdAt: z.number(),
  dueAt: z.number(),
  attempts: z.number().int().min(0),
  body: z.string(),
  contentType: z.string(),
});

const EpisodeSchema = z.object({
  subscriber: z.string().min(1),
  flagId: z.string().min(1),
  revision: z.number().int().min(0),
  alertAt: z.number(),
  seenAt: z.number(),
  heldId: z.string().optional(),
});

/** One line of the journal. Replaying the lines in order rebuilds the outbox; each record is idempotent. */
export const JournalRecordSchema = z.discriminatedUnion('op', [
  z.object({ op: z.literal('enqueue'), entry: EntrySchema }),
  z.object({ op: z.literal('attempt'), id: z.string(), attempts: z.number().int().min(0), dueAt: z.number() }),
  z.object({ op: z.literal('done'), id: z.string(), outcome: z.enum(['delivered', 'dead', 'superseded', 'dropped']) }),
  z.object({ op: z.literal('episode'), episode: EpisodeSchema }),
]);

export type JournalRecord = z.output<typeof JournalRecordSchema>;

/** Locks held by this process, so a second outbox on the same directory in one process is refused too. */
const heldLocks = new Set<string>();

interface PendingWrite {
  lines: string;
  resolve: () => void;
  reject: (err: unknown) => void;
}

/**
 * The outbox's file: an append-only JSONL journal, each append fsynced before it is reported
 * written, rewritten from a snapshot (compacted) at open and when it grows too large. A lock
 * file keeps two processes from delivering the same outbox. A torn last line (a crash
 * mid-write) is skipped on read: its append was never acknowledged.
 */
export class OutboxJournal {
  readonly dir: string;
  readonly #log: Logger;
  readonly #compactAfterBytes: number;
  #handle: FileHandle | undefined;
  #size = 0;
  #queue: PendingWrite[] = [];
  #writing: Promise<void> | undefined;
  #closed = false;
  #snapshot: () => JournalRecord[];

  private constructor(dir: string, log: Logger, compactAfterBytes: number) {
    this.dir = dir;
    this.#log = log;
    this.#compactAfterBytes = compactAfterBytes;
    this.#snapshot = () => [];
  }

  /**
   * Locks the directory and reads every record. The caller rebuilds its state from them, then
   * calls `start(snapshot)`, which compacts the file to that state.
   */
  static async open(directory: string, log: Logger, compactAfterBytes: number): Promise<{ journal: OutboxJournal; records: JournalRecord[] }> {
    const dir = resolve(directory);
    try {
      await mkdir(dir, { recursive: true });
    } catch (cause) {
      throw new TagwatchError(ErrorCodes.ALERT_OUTBOX, `cannot create the alerts outbox directory ${dir}`, { input: dir, cause });
    }
    await acquireLock(dir);
    const journal = new OutboxJournal(dir, log, compactAfterBytes);
    try {
      return { journal, records: await journal.#readAll() };
    } catch (err) {
      await releaseLock(dir);
      throw err;
    }
  }

  /** Compacts the file to `snapshot()` and opens it for appends; `snapshot` is used again for later compactions. */
  async start(snapshot: () => JournalRecord[]): Promise<void> {
    this.#snapshot = snapshot;
    await this.#compact();
  }

  /** Appends records; resolves once they are on disk (fsync). Appends made meanwhile share one fsync. */
  append(records: readonly JournalRecord[]): Promise<void> {
    if (this.#closed) return Promise.reject(new ClosedError(ErrorCodes.CLOSED, 'alerts outbox is closed'));
    if (records.length === 0) return Promise.resolve();
    const lines = records.map((r) => `${JSON.stringify(r)}\n`).join('');
    return new Promise<void>((resolve, reject) => {
      this.#queue.push({ lines, resolve, reject });
      this.#writing ??= this.#drain();
    });
  }

  async #drain(): Promise<void> {
    try {
      while (this.#queue.length > 0) {
        const batch = this.#queue.splice(0, this.#queue.length);
        try {
          const handle = this.#handle;
          if (handle === undefined) throw new ClosedError(ErrorCodes.CLOSED, 'alerts outbox journal is not open');
          const text = batch.map((w) => w.lines).join('');
          await handle.write(text);
          await handle.datasync();
          this.#size += Buffer.byteLength(text);
          for (const w of batch) w.resolve();
        } catch (cause) {
          const err = new TagwatchError(ErrorCodes.ALERT_OUTBOX, `cannot write the alerts outbox journal in ${this.dir}`, { cause, retriable: true });
          for (const w of batch) w.reject(err);
          continue;
        }
        if (this.#size > this.#compactAfterBytes) {
          try {
            await this.#compact();
          } catch (err) {
            this.#log.error({ err, dir: this.dir }, 'alerts outbox compaction failed; appending to the old journal');
          }
        }
      }
    } finally {
      this.#writing = undefined;
    }
  }

  async #readAll(): Promise<JournalRecord[]> {
    let text: string;
    try {
      text = await readFile(join(this.dir, JOURNAL_FILE), 'utf8');
    } catch (cause) {
      if ((cause as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw new TagwatchError(ErrorCodes.ALERT_OUTBOX, `cannot read the alerts outbox journal in ${this.dir}`, { cause });
    }
    const lines = text.split('\n');
    const records: JournalRecord[] = [];
    lines.forEach((line, index) => {
      if (line.trim() === '') return;
      let parsed: unknown;
      try {
        parsed = JSON.parse(line);
      } catch {
        parsed = undefined;
      }
      const result = JournalRecordSchema.safeParse(parsed);
      if (result.success) {
        records.push(result.data);
        return;
      }
      // Only the last line can be torn by a crash, and its append was never acknowledged.
      const last = index >= lines.length - 2;
      const entry = { dir: this.dir, line: index + 1, last };
      if (last) this.#log.warn(entry, 'alerts outbox journal ends with an incomplete record (crash during a write); ignored');
      else this.#log.error(entry, 'alerts outbox journal holds an unreadable record; skipped');
    });
    return records;
  }

  /** Rewrites the journal as the current snapshot: temp file, fsync, rename, fsync the directory. */
  async #compact(): Promise<void> {
    const records = this.#snapshot();
    const file = join(this.dir, JOURNAL_FILE);
    const tmp = join(this.dir, `${JOURNAL_FILE}.tmp`);
    const text = records.map((r) => `${JSON.stringify(r)}\n`).join('');
    try {
      const out = await open(tmp, 'w');
      try {
        await out.write(text);
        await out.sync();
      } finally {
        await out.close();
      }
      await this.#handle?.close();
      this.#handle = undefined;
      await rename(tmp, file);
      await syncDirectory(this.dir);
      this.#handle = await open(file, 'a');
      this.#size = Buffer.byteLength(text);
    } catch (cause) {
      this.#handle ??= await open(file, 'a');
      throw new TagwatchError(ErrorCodes.ALERT_OUTBOX, `cannot compact the alerts outbox journal in ${this.dir}`, { cause });
    }
  }

  /** Waits for queued appends, closes the file and releases the lock. Idempotent. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    while (this.#writing !== undefined) await this.#writing;
    await this.#handle?.close();
    this.#handle = undefined;
    await releaseLock(this.dir);
  }
}

async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function acquireLock(dir: string): Promise<void> {
  const file = join(dir, LOCK_FILE);
  for (let tries = 0; tries < 3; tries++) {
    try {
      const handle = await open(file, 'wx');
      try {
        await handle.write(`${process.pid}\n`);
        await handle.sync();
      } finally {
        await handle.close();
      }
      heldLocks.add(dir);
      return;
    } catch (cause) {
      if ((cause as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new TagwatchError(ErrorCodes.ALERT_OUTBOX, `cannot lock the alerts outbox ${dir}`, { input: dir, cause });
      }
    }
    const owner = Number.parseInt((await readFile(file, 'utf8').catch(() => '')).trim(), 10);
    const ownerAlive = Number.isInteger(owner) && (owner === process.pid ? heldLocks.has(dir) : processAlive(owner));
    if (ownerAlive) {
      throw new TagwatchError(
        ErrorCodes.ALERT_OUTBOX_LOCKED,
        `the alerts outbox ${dir} is in use by process ${owner}; each notify process needs its own outbox directory (alerts.outboxDir)`,
        { input: dir },
      );
    }
    // The owner died (killed, crashed) without releasing it: the outbox is ours to resume.
    await rm(file, { force: true });
  }
  throw new TagwatchError(ErrorCodes.ALERT_OUTBOX_LOCKED, `cannot take the lock of the alerts outbox ${dir}`, { input: dir });
}

async function releaseLock(dir: string): Promise<void> {
  heldLocks.delete(dir);
  await rm(join(dir, LOCK_FILE), { force: true });
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
