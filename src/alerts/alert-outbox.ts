import type { Logger } from 'pino';
import { OutboxJournal, type JournalRecord } from './outbox-journal.ts';
import type { EpisodeState, OutboxEntry } from './types.ts';

export interface AlertOutboxOptions {
  dir: string;
  log: Logger;
  compactAfterBytes: number;
  /** Episodes not seen for this long are forgotten at the next compaction, in ms. */
  episodeTtlMs: number;
  now: () => number;
}

export function episodeKey(subscriber: string, flagId: string): string {
  return `${subscriber}\u0000${flagId}`;
}

/**
 * The durable outbox: pending alerts with their attempt state, and per (subscriber, flag
 * episode) what was already alerted. Every change is applied in memory at once (so decisions
 * see it) and is durable when `commit` resolves; an entry is handed to the dispatcher only
 * once its enqueue record is on disk.
 */
export class AlertOutbox {
  readonly #journal: OutboxJournal;
  readonly #entries = new Map<string, OutboxEntry>();
  readonly #episodes = new Map<string, EpisodeState>();
  /** Entries whose enqueue record is not on disk yet. */
  readonly #unflushed = new Set<string>();
  readonly #inFlight = new Set<string>();
  readonly #unwritten: JournalRecord[] = [];
  readonly #options: AlertOutboxOptions;

  private constructor(journal: OutboxJournal, options: AlertOutboxOptions) {
    this.#journal = journal;
    this.#options = options;
  }

  static async open(options: AlertOutboxOptions): Promise<AlertOutbox> {
    const { journal, records } = await OutboxJournal.open(options.dir, options.log, options.compactAfterBytes);
    const outbox = new AlertOutbox(journal, options);
    for (const record of records) outbox.#apply(record);
    try {
      await journal.start(() => outbox.#snapshot());
    } catch (err) {
      await journal.close();
      throw err;
    }
    return outbox;
  }

  get dir(): string {
    return this.#journal.dir;
  }

  /** Pending entries in the order they were raised. */
  entries(): IterableIterator<OutboxEntry> {
    return this.#entries.values();
  }

  get size(): number {
    return this.#entries.size;
  }

  entry(id: string): OutboxEntry | undefined {
    return this.#entries.get(id);
  }

  episode(subscriber: string, flagId: string): EpisodeState | undefined {
    return this.#episodes.get(episodeKey(subscriber, flagId));
  }

  /** Ready for the dispatcher: durable and not being attempted. */
  isAvailable(id: string): boolean {
    return this.#entries.has(id) && !this.#unflushed.has(id) && !this.#inFlight.has(id);
  }

  isInFlight(id: string): boolean {
    return this.#inFlight.has(id);
  }

  claim(id: string): void {
    this.#inFlight.add(id);
  }

  release(id: string): void {
    this.#inFlight.delete(id);
  }

  get inFlight(): number {
    return this.#inFlight.size;
  }

  /**
   * Applies the records now and resolves once they are on disk. When the write fails, the
   * records stay applied in memory and are written ahead of the next commit (the caller's batch
   * fails and comes again: its decisions are already made, so it commits nothing new, and
   * `commit([])` still writes what is owed).
   */
  async commit(records: readonly JournalRecord[]): Promise<void> {
    for (const record of records) {
      this.#apply(record);
      if (record.op === 'enqueue') this.#unflushed.add(record.entry.id);
    }
    const toWrite = [...this.#unwritten.splice(0, this.#unwritten.length), ...records];
    if (toWrite.length === 0) return;
    try {
      await this.#journal.append(toWrite);
    } catch (err) {
      // Appends failing together reject in the order they were made, so pushing keeps the journal order.
      this.#unwritten.push(...toWrite);
      throw err;
    }
    for (const record of toWrite) if (record.op === 'enqueue') this.#unflushed.delete(record.entry.id);
  }

  /** Records applied in memory whose write failed; written ahead of the next commit. */
  get unwritten(): number {
    return this.#unwritten.length;
  }

  #apply(record: JournalRecord): void {
    switch (record.op) {
      case 'enqueue':
        this.#entries.set(record.entry.id, { ...record.entry });
        return;
      case 'attempt': {
        const entry = this.#entries.get(record.id);
        if (entry !== undefined) {
          entry.attempts = record.attempts;
          entry.dueAt = record.dueAt;
        }
        return;
      }
      case 'done':
        this.#entries.delete(record.id);
        return;
      case 'episode':
        this.#episodes.set(episodeKey(record.episode.subscriber, record.episode.flagId), { ...record.episode });
        return;
    }
  }

  #snapshot(): JournalRecord[] {
    const cutoff = this.#options.now() - this.#options.episodeTtlMs;
    const pendingEpisodes = new Set<string>();
    for (const entry of this.#entries.values()) pendingEpisodes.add(episodeKey(entry.subscriber, entry.flagId));
    const out: JournalRecord[] = [];
    for (const [key, episode] of this.#episodes) {
      if (episode.seenAt < cutoff && !pendingEpisodes.has(key)) {
        this.#episodes.delete(key);
        continue;
      }
      out.push({ op: 'episode', episode: { ...episode } });
    }
    for (const entry of this.#entries.values()) out.push({ op: 'enqueue', entry: { ...entry } });
    return out;
  }

  /** Closes the journal (after its queued appends) and releases the directory. Idempotent. */
  async close(): Promise<void> {
    await this.#journal.close();
  }
}
