import { z } from 'zod';

/** Header that marks a message as a transport control record, never handed to a stage. */
export const CONTROL_HEADER = 'tw-control';
export const WATERMARK_CONTROL = 'watermark';
/** A watermark of this value means end of input: every window can close. */
export const END_OF_INPUT = Number.MAX_SAFE_INTEGER;

/**
 * A watermark marker, in-band on a partition: `source` promises that none of its later records
 * on this partition has an event time below `ts`. `of` > 0: the partition has that many sources
 * (every `posts` partition relayed by ingest workers) and its watermark is their minimum, unknown
 * until all have spoken; `of` = 0: sources are collectors and the newest word wins (max).
 */
export const WatermarkMarkerSchema = z.object({
  source: z.string().min(1).max(200),
  ts: z.number().int(),
  of: z.number().int().min(0).max(100_000),
  /** Event time of the first record of the stream (the collector's first post), relayed unchanged. */
  start: z.number().int().optional(),
});
export type WatermarkMarker = z.output<typeof WatermarkMarkerSchema>;

const TableSchema = z.object({ v: z.literal(1), of: z.number().int().min(0), s: z.record(z.string(), z.number().int()), start: z.number().int().optional() });

/** Collector sources are kept to this many (the oldest forgotten), so offset metadata stays small. */
const MAX_FREE_SOURCES = 16;

/** The watermark of one input partition, from the markers read on it. */
export class WatermarkTable {
  #of = 0;
  #start: number | undefined;
  readonly #sources = new Map<string, number>();

  /** Applies a marker; returns true when the partition watermark advanced. */
  apply(marker: WatermarkMarker): boolean {
    const before = this.watermark();
    if (marker.of > 0) this.#of = marker.of;
    if (marker.start !== undefined && (this.#start === undefined || marker.start < this.#start)) this.#start = marker.start;
    const previous = this.#sources.get(marker.source);
    if (previous === undefined || marker.ts > previous) {
      this.#sources.delete(marker.source);
      this.#sources.set(marker.source, marker.ts);
      if (this.#of === 0 && this.#sources.size > MAX_FREE_SOURCES) this.#sources.delete(this.#sources.keys().next().value as string);
    }
    const after = this.watermark();
    return after !== undefined && (before === undefined || after > before);
  }

  /** Event time below which the partition is complete, or undefined before enough markers. */
  watermark(): number | undefined {
    if (this.#sources.size === 0) return undefined;
    const values = [...this.#sources.values()];
    if (this.#of === 0) return Math.max(...values);
    if (this.#sources.size < this.#of) return undefined;
    return Math.min(...values);
  }

  /** Event time of the stream's first record, once a marker has told it. */
  start(): number | undefined {
    return this.#start;
  }

  /** Compact text for the offset commit metadata (committed with the offset, atomically). */
  serialize(): string | null {
    if (this.#sources.size === 0) return null;
    const table: z.input<typeof TableSchema> = { v: 1, of: this.#of, s: Object.fromEntries(this.#sources) };
    if (this.#start !== undefined) table.start = this.#start;
    return JSON.stringify(table);
  }

  static parse(metadata: string | null | undefined): WatermarkTable {
    const table = new WatermarkTable();
    if (metadata === null || metadata === undefined || metadata === '') return table;
    let raw: unknown;
    try {
      raw = JSON.parse(metadata);
    } catch {
      return table;
    }
    const parsed = TableSchema.safeParse(raw);
    if (!parsed.success) return table;
    table.#of = parsed.data.of;
    table.#start = parsed.data.start;
    for (const [source, ts] of Object.entries(parsed.data.s)) table.#sources.set(source, ts);
    return table;
  }
}
