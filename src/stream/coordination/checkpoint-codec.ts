import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { ErrorCodes, ValidationError } from '../../errors/index.ts';

/**
 * Writes one tag's coordination checkpoint compactly: every account id and post key is written
 * once, in a table, and referred to by index; times are written as milliseconds before the tag's
 * clock (small non-negative integers), lists of times as deltas. Lossless: a restored state is
 * the state that was written, so a restart continues exactly as the uninterrupted run.
 */
export class CheckpointWriter {
  readonly base: number;
  readonly ids: string[] = [];
  readonly posts: string[] = [];
  readonly #idIndex = new Map<string, number>();
  readonly #postIndex = new Map<string, number>();

  constructor(base: number) {
    this.base = base;
  }

  id(value: string): number {
    let index = this.#idIndex.get(value);
    if (index === undefined) {
      index = this.ids.length;
      this.ids.push(value);
      this.#idIndex.set(value, index);
    }
    return index;
  }

  post(value: string): number {
    let index = this.#postIndex.get(value);
    if (index === undefined) {
      index = this.posts.length;
      this.posts.push(value);
      this.#postIndex.set(value, index);
    }
    return index;
  }

  /** A time as ms before the base. */
  t(ts: number): number {
    return this.base - ts;
  }

  /** Ascending times as [first relative to the base, then gaps]. */
  times(list: readonly number[]): number[] {
    const out: number[] = [];
    let previous = 0;
    list.forEach((ts, i) => {
      out.push(i === 0 ? this.t(ts) : ts - previous);
      previous = ts;
    });
    return out;
  }
}

/** Reads what a `CheckpointWriter` wrote; a dangling index is a corrupt checkpoint, never a silent gap. */
export class CheckpointReader {
  readonly base: number;
  readonly #ids: readonly string[];
  readonly #posts: readonly string[];
  readonly #tag: string;

  constructor(tag: string, base: number, ids: readonly string[], posts: readonly string[]) {
    this.#tag = tag;
    this.base = base;
    this.#ids = ids;
    this.#posts = posts;
  }

  id(index: number): string {
    const value = this.#ids[index];
    if (value === undefined) throw this.#corrupt(`account index ${index}`);
    return value;
  }

  post(index: number): string {
    const value = this.#posts[index];
    if (value === undefined) throw this.#corrupt(`post index ${index}`);
    return value;
  }

  t(relative: number): number {
    return this.base - relative;
  }

  times(encoded: readonly number[]): number[] {
    const out: number[] = [];
    let previous = 0;
    encoded.forEach((value, i) => {
      previous = i === 0 ? this.t(value) : previous + value;
      out.push(previous);
    });
    return out;
  }

  #corrupt(what: string): ValidationError {
    return new ValidationError(ErrorCodes.MESSAGE_INVALID, `coordination checkpoint of #${this.#tag} refers to a missing ${what}`, { input: this.#tag });
  }
}

/**
 * Front coding of a list of strings: each as `<shared prefix length>|<rest>` against the one
 * before it. Post keys of one platform share long prefixes (`sim:s104-1693…`).
 */
export function frontCode(list: readonly string[]): string[] {
  let previous = '';
  return list.map((value) => {
    let shared = 0;
    const max = Math.min(previous.length, value.length, 99);
    while (shared < max && previous.charCodeAt(shared) === value.charCodeAt(shared)) shared++;
    previous = value;
    return shared === 0 ? `|${value}` : `${shared}|${value.slice(shared)}`;
  });
}

export function frontDecode(coded: readonly string[]): string[] {
  let previous = '';
  return coded.map((entry) => {
    const bar = entry.indexOf('|');
    const shared = bar <= 0 ? 0 : Number(entry.slice(0, bar));
    previous = previous.slice(0, shared) + entry.slice(bar + 1);
    return previous;
  });
}

/** Bytes as base64 (signatures in a checkpoint). */
export function bytesToBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

export function base64ToBytes(text: string): Uint8Array {
  const buffer = Buffer.from(text, 'base64');
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}

/** A checkpoint too large to store as plain JSON: the same JSON, deflated, as base64. */
export interface PackedCheckpoint {
  v: number;
  packed: string;
}

/**
 * Packs a checkpoint whose JSON is longer than `thresholdChars` (a hot tag's: deflate shrinks its
 * id tables and number lists several times); a smaller one stays plain JSON, readable in SQL.
 */
export function packCheckpoint<T extends { v: number }>(checkpoint: T, thresholdChars: number): T | PackedCheckpoint {
  const json = JSON.stringify(checkpoint);
  if (json.length <= thresholdChars) return checkpoint;
  return { v: checkpoint.v, packed: deflateRawSync(Buffer.from(json, 'utf8'), { level: 6 }).toString('base64') };
}

/** The checkpoint inside a packed one (a plain one is returned as is). */
export function unpackCheckpoint(tag: string, value: unknown): unknown {
  if (typeof value !== 'object' || value === null || typeof (value as { packed?: unknown }).packed !== 'string') return value;
  try {
    return JSON.parse(inflateRawSync(Buffer.from((value as PackedCheckpoint).packed, 'base64')).toString('utf8')) as unknown;
  } catch (cause) {
    throw new ValidationError(ErrorCodes.MESSAGE_INVALID, `coordination checkpoint of #${tag} is packed but does not inflate to JSON: ${(cause as Error).message}`, {
      input: tag,
      cause,
    });
  }
}
