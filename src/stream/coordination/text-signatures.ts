import { base64ToBytes, bytesToBase64, type CheckpointReader, type CheckpointWriter } from './checkpoint-codec.ts';
import { compactSignature } from './minhash.ts';
import type { TextOptions } from './options.ts';
import { textShingles, textTokens } from './text-shingles.ts';

/** Values per signature (copy-pasta and paraphrase bands both read from it). */
export const SIGNATURE_SIZE = 64;

/** One original text of the tag, as the text signals remember it. */
export interface TextEntry {
  /** Increasing per tag: entries are added and dropped in id order. */
  id: number;
  ts: number;
  author: string;
  post: string;
  signature: Uint8Array;
  /** Near-duplicate group, or -1 while no other text matched it. */
  group: number;
}

/**
 * The tag's recent original texts as MinHash signatures, shared by copy-pasta and paraphrase.
 * At most `maxSignatures`, oldest dropped first; entries older than the longest text window are
 * dropped by `expire`. Removal is always oldest-first, so indexes built over the entries can be
 * rebuilt exactly from a checkpoint by re-adding the survivors in order.
 */
export class TextSignatureStore {
  readonly #entries = new Map<number, TextEntry>();
  readonly #options: TextOptions;
  /** Live texts per author. */
  readonly #texts = new Map<string, number>();
  #next = 0;

  constructor(options: TextOptions) {
    this.#options = options;
  }

  get size(): number {
    return this.#entries.size;
  }

  get(id: number): TextEntry | undefined {
    return this.#entries.get(id);
  }

  /** Id of the oldest stored text (the next id when empty): every id below it is gone. */
  get oldestId(): number {
    const first = this.#entries.keys().next();
    return first.done === true ? this.#next : first.value;
  }

  textsBy(author: string): number {
    return this.#texts.get(author) ?? 0;
  }

  values(): IterableIterator<TextEntry> {
    return this.#entries.values();
  }

  /** Signs and stores one original text; undefined when it is too short to compare. Returns the entries dropped to make room. */
  add(text: string, author: string, post: string, ts: number): { entry: TextEntry; dropped: TextEntry[] } | undefined {
    const tokens = textTokens(text);
    if (tokens.length < this.#options.minTokens) return undefined;
    const entry: TextEntry = { id: this.#next++, ts, author, post, signature: compactSignature(textShingles(tokens), SIGNATURE_SIZE), group: -1 };
    this.#entries.set(entry.id, entry);
    this.#texts.set(author, this.textsBy(author) + 1);
    const dropped: TextEntry[] = [];
    while (this.#entries.size > this.#options.maxSignatures) {
      const oldest = this.#entries.values().next();
      if (oldest.done === true) break;
      dropped.push(this.#remove(oldest.value));
    }
    return { entry, dropped };
  }

  /** Drops entries older than `cutoff`; returns them (oldest first). */
  expire(cutoff: number): TextEntry[] {
    const dropped: TextEntry[] = [];
    for (const entry of this.#entries.values()) {
      if (entry.ts >= cutoff) break;
      dropped.push(this.#remove(entry));
    }
    return dropped;
  }

  #remove(entry: TextEntry): TextEntry {
    this.#entries.delete(entry.id);
    const left = this.textsBy(entry.author) - 1;
    if (left <= 0) this.#texts.delete(entry.author);
    else this.#texts.set(entry.author, left);
    return entry;
  }

  /** Columns: ids as deltas, times, authors, posts, groups, and all signatures as one base64 string. */
  snapshot(w: CheckpointWriter): TextSignaturesSnapshot {
    const entries = [...this.#entries.values()];
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
    this.#entries.clear();
    this.#texts.clear();
    this.#next = state.next;
    const bytes = base64ToBytes(state.signatures);
    let id = 0;
    state.ids.forEach((delta, i) => {
      id += delta;
      const author = r.id(state.authors[i] as number);
      const entry: TextEntry = {
        id,
        ts: r.t(state.ts[i] as number),
        author,
        post: r.post(state.posts[i] as number),
        signature: bytes.slice(i * SIGNATURE_SIZE, (i + 1) * SIGNATURE_SIZE),
        group: state.groups[i] as number,
      };
      this.#entries.set(id, entry);
      this.#texts.set(author, this.textsBy(author) + 1);
    });
  }
}

export interface TextSignaturesSnapshot {
  next: number;
  ids: number[];
  ts: number[];
  authors: number[];
  posts: number[];
  groups: number[];
  signatures: string;
}
