import { base64ToBytes, bytesToBase64, type CheckpointReader, type CheckpointWriter } from './checkpoint-codec.ts';
import { ErrorCodes, ValidationError } from '../../errors/index.ts';
import type { TextOptions } from './options.ts';
import { StateBytes } from './state-bytes.ts';
import { SIGNATURE_SIZE, TextSigner } from './text-signer.ts';

export { SIGNATURE_SIZE } from './text-signer.ts';

/** One original text of the tag, as the text signals remember it. */
export interface TextEntry {
  /** Increasing per tag: entries are added and dropped in id order. */
  id: number;
  ts: number;
  author: string;
  post: string;
  /** Shared read-only with the other tags of the post (see `TextSigner`). */
  signature: Uint8Array;
  /** Near-duplicate group, or -1 while no other text matched it. */
  group: number;
}

/** Entry arrays shorter than this grow by exact-size copies. */
const SHORT_STORE = 8;
/** Stores larger than this count texts per author in a map; smaller ones count by scanning. */
const AUTHOR_COUNT_SCAN = 32;

/**
 * The tag's recent original texts as MinHash signatures, shared by copy-pasta and paraphrase.
 * At most `maxSignatures`, oldest dropped first; entries older than the longest text window are
 * dropped by `expire`. Removal is always oldest-first, so indexes built over the entries can be
 * rebuilt exactly from a checkpoint by re-adding the survivors in order.
 *
 * Ids are consecutive, so the entries are an array (oldest first, from `#head`): entry `id` is at
 * `#head + id - oldestId`, and a scan newest-first needs no index at all.
 */
export class TextSignatureStore {
  #entries: TextEntry[] | undefined;
  #head = 0;
  readonly #options: TextOptions;
  readonly #signer: TextSigner;
  /** Live texts per author, once the store is too large to count by scanning. */
  #texts: Map<string, number> | undefined;
  #next = 0;

  constructor(options: TextOptions, signer?: TextSigner) {
    this.#options = options;
    this.#signer = signer ?? new TextSigner(options.minTokens);
  }

  get size(): number {
    return this.#entries === undefined ? 0 : this.#entries.length - this.#head;
  }

  get(id: number): TextEntry | undefined {
    const entries = this.#entries;
    if (entries === undefined) return undefined;
    const at = this.#head + id - (this.#next - (entries.length - this.#head));
    return at >= this.#head && at < entries.length ? entries[at] : undefined;
  }

  /** The entry at `index` from the oldest (0 ≤ index < size). */
  at(index: number): TextEntry {
    return (this.#entries as TextEntry[])[this.#head + index] as TextEntry;
  }

  /** Id of the oldest stored text (the next id when empty): every id below it is gone. */
  get oldestId(): number {
    return this.#next - this.size;
  }

  /** Rough bytes held (entries with their signatures, the per-author counts). */
  get bytes(): number {
    if (this.#entries === undefined) return 0;
    return StateBytes.array + this.#entries.length * 4 + this.size * StateBytes.text + (this.#texts === undefined ? 0 : StateBytes.map + this.#texts.size * StateBytes.mapEntry);
  }

  textsBy(author: string): number {
    if (this.#texts !== undefined) return this.#texts.get(author) ?? 0;
    const entries = this.#entries;
    if (entries === undefined) return 0;
    let count = 0;
    for (let i = this.#head; i < entries.length; i++) if ((entries[i] as TextEntry).author === author) count++;
    return count;
  }

  *values(): IterableIterator<TextEntry> {
    const entries = this.#entries;
    if (entries === undefined) return;
    for (let i = this.#head; i < entries.length; i++) yield entries[i] as TextEntry;
  }

  /** Signs and stores one original text; undefined when it is too short to compare. Returns the entries dropped to make room. */
  add(text: string, author: string, post: string, ts: number): { entry: TextEntry; dropped: TextEntry[] } | undefined {
    const signature = this.#signer.sign(text);
    if (signature === undefined) return undefined;
    const entry: TextEntry = { id: this.#next++, ts, author, post, signature, group: -1 };
    let entries = this.#entries;
    if (entries === undefined || entries.length < SHORT_STORE) {
      // Exact-size copies while short (most tags keep a text or two): a pushed-to array reserves 17 slots.
      entries = this.#entries = entries === undefined ? [entry] : entries.concat(entry);
    } else {
      entries.push(entry);
    }
    if (this.#texts !== undefined) this.#texts.set(author, (this.#texts.get(author) ?? 0) + 1);
    else if (entries.length - this.#head > AUTHOR_COUNT_SCAN) this.#countAuthors();
    const dropped: TextEntry[] = [];
    while (entries.length - this.#head > this.#options.maxSignatures) dropped.push(this.#removeOldest());
    this.#compact();
    return { entry, dropped };
  }

  /** Drops entries older than `cutoff`; returns them (oldest first). */
  expire(cutoff: number): TextEntry[] {
    const entries = this.#entries;
    if (entries === undefined) return NONE;
    let dropped: TextEntry[] | undefined;
    while (this.#head < entries.length && (entries[this.#head] as TextEntry).ts < cutoff) (dropped ??= []).push(this.#removeOldest());
    if (dropped === undefined) return NONE;
    this.#compact();
    return dropped;
  }

  #countAuthors(): void {
    const texts = new Map<string, number>();
    for (const e of this.values()) texts.set(e.author, (texts.get(e.author) ?? 0) + 1);
    this.#texts = texts;
  }

  #removeOldest(): TextEntry {
    const entries = this.#entries as TextEntry[];
    const entry = entries[this.#head] as TextEntry;
    entries[this.#head] = undefined as unknown as TextEntry;
    this.#head++;
    const texts = this.#texts;
    if (texts !== undefined) {
      const left = (texts.get(entry.author) ?? 0) - 1;
      if (left <= 0) texts.delete(entry.author);
      else texts.set(entry.author, left);
    }
    return entry;
  }

  /** Drops the consumed front of the array once it is half of it; an empty store holds nothing. */
  #compact(): void {
    const entries = this.#entries;
    if (entries === undefined || this.#head === 0) return;
    if (this.#head === entries.length) {
      this.#entries = undefined;
      this.#texts = undefined;
      this.#head = 0;
    } else if (this.#head >= 16 && this.#head * 2 >= entries.length) {
      this.#entries = entries.slice(this.#head);
      this.#head = 0;
    }
  }

  /** Columns: ids as deltas, times, authors, posts, groups, and all signatures as one base64 string. */
  snapshot(w: CheckpointWriter): TextSignaturesSnapshot {
    const entries = [...this.values()];
    const ids: number[] = [];
    let previous = 0;
    for (const e of entries) {
      ids.push(e.id - previous);
      previous = e.id;
    }
    const signatures = new Uint8Array(entries.length * SIGNATURE_SIZE);
    entries.forEach((e, i) => signatures.set(e.signature, i * SIGNATURE_SIZE));
    return {
      next: this.#next,
      ids,
      ts: entries.map((e) => w.t(e.ts)),
      authors: entries.map((e) => w.id(e.author)),
      posts: entries.map((e) => w.post(e.post)),
      groups: entries.map((e) => e.group),
      signatures: bytesToBase64(signatures),
    };
  }

  restore(state: TextSignaturesSnapshot, r: CheckpointReader): void {
    this.#entries = undefined;
    this.#head = 0;
    this.#texts = undefined;
    this.#next = state.next;
    const bytes = base64ToBytes(state.signatures);
    const entries: TextEntry[] = [];
    let id = 0;
    state.ids.forEach((delta, i) => {
      id += delta;
      entries.push({
        id,
        ts: r.t(state.ts[i] as number),
        author: r.id(state.authors[i] as number),
        post: r.post(state.posts[i] as number),
        signature: bytes.slice(i * SIGNATURE_SIZE, (i + 1) * SIGNATURE_SIZE),
        group: state.groups[i] as number,
      });
    });
    if (entries.length === 0) return;
    // Entries are consecutive up to the next id (`get` relies on it).
    if (entries.some((e, i) => e.id !== state.next - entries.length + i)) {
      throw new ValidationError(ErrorCodes.MESSAGE_INVALID, 'coordination checkpoint: text ids are not consecutive up to the next id', { input: state.next });
    }
    this.#entries = entries;
    if (entries.length > AUTHOR_COUNT_SCAN) this.#countAuthors();
  }
}

const NONE: TextEntry[] = [];

export interface TextSignaturesSnapshot {
  next: number;
  ids: number[];
  ts: number[];
  authors: number[];
  posts: number[];
  groups: number[];
  signatures: string;
}
