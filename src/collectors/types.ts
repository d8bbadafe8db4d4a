import type { DeadLetter, Deletion, RawPost } from '../model/index.ts';

/**
 * Where a collector hands what it reads. Every call resolves once the records are accepted
 * downstream and waits while the pipeline is full: a collector pauses its source (stops reading
 * the socket or file) while a call is pending, so memory stays bounded.
 */
export interface CollectorOutput {
  posts(records: RawPost[]): Promise<void>;
  deletions(records: Deletion[]): Promise<void>;
  deadLetters(records: DeadLetter[]): Promise<void>;
}

/** Figures every collector reports (logs, `/metrics`, the replay summary). */
export interface CollectorStats {
  source: string;
  /** Frames or lines read from the source. */
  frames: number;
  /** Posts handed to the pipeline. */
  posts: number;
  deadLettered: number;
  deletions: number;
  reconnects: number;
  /** Event time of the newest post seen, epoch ms (0 before the first). */
  lastEventTs: number;
}

export interface Collector extends AsyncDisposable {
  readonly name: string;
  /** Reads until the source ends (a file) or `signal` aborts (live sources), then resolves. */
  run(out: CollectorOutput, signal: AbortSignal): Promise<CollectorStats>;
  stats(): CollectorStats;
  /** Idempotent: stops reading and releases sockets and files. */
  close(): Promise<void>;
}
