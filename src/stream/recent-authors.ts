/** Entries kept in flat arrays before switching to the indexed log (most tags have a few recent authors). */
const SMALL_MAX = 32;

/**
 * Authors of one tag with the event time of their last post, oldest first, over a trailing
 * window: answers "distinct authors since t". Small sets are one flat array of pairs (no Map overhead).
 *
 * Beyond 32 authors: a log of sightings (hash, time) in arrival order plus a Map from author to
 * the position of their latest sighting. The live entries of the log, in order, are the authors
 * in last-seen order — what a Map kept in that order by `delete` + `set` on every post gave, but
 * with one in-place `set` of small integers per post (no table churn, no boxed keys or times).
 * The log is compacted once half of it is superseded sightings.
 */
export class RecentAuthors {
  /** Small form: [hash, ts, hash, ts, …] oldest first, exact size (one array: most tags have one or two authors). */
  #pairs: number[] | undefined = [];
  #log: SightingLog | undefined;

  get size(): number {
    return this.#log?.index.size ?? (this.#pairs as number[]).length >> 1;
  }

  see(hash: number, ts: number): void {
    const log = this.#log;
    if (log !== undefined) {
      log.see(hash, ts);
      return;
    }
    const old = this.#pairs as number[];
    let i = -1;
    for (let j = 0; j < old.length; j += 2) {
      if (old[j] === hash) {
        i = j;
        break;
      }
    }
    if (i >= 0) {
      // A returning author moves to the end, in place (same length: nothing to allocate).
      const last = old.length - 2;
      for (let j = i; j < last; j += 2) {
        old[j] = old[j + 2] as number;
        old[j + 1] = old[j + 3] as number;
      }
      old[last] = hash;
      old[last + 1] = ts;
      return;
    }
    // A new exact-size array (concat) rather than push/splice/spread, which reserve 17+ slots:
    // most tags have a handful of authors.
    const pairs = old.concat(hash, ts);
    this.#pairs = pairs;
    if (pairs.length > 2 * SMALL_MAX) {
      const grown = new SightingLog();
      for (let j = 0; j < pairs.length; j += 2) grown.see(pairs[j] as number, pairs[j + 1] as number);
      this.#log = grown;
      this.#pairs = undefined;
    }
  }

  /** Distinct authors whose last post is at or after `since`. */
  since(since: number): number {
    let n = 0;
    const log = this.#log;
    if (log !== undefined) {
      const times = log.times;
      for (const at of log.index.values()) if ((times[at - log.base] as number) >= since) n++;
    } else {
      const pairs = this.#pairs as number[];
      for (let j = 1; j < pairs.length; j += 2) if ((pairs[j] as number) >= since) n++;
    }
    return n;
  }

  /** Forgets authors last seen before `cutoff` (from the oldest, up to the first one seen since). */
  expire(cutoff: number): void {
    const log = this.#log;
    if (log !== undefined) {
      log.expire(cutoff);
      return;
    }
    const pairs = this.#pairs as number[];
    let drop = 0;
    while (drop < pairs.length && (pairs[drop + 1] as number) < cutoff) drop += 2;
    if (drop > 0) this.#pairs = pairs.slice(drop);
  }

  get bytes(): number {
    return this.#log !== undefined ? 100 + 40 * this.#log.index.size : 88 + 16 * this.size;
  }

  toJSON(): Array<[number, number]> {
    if (this.#log !== undefined) return this.#log.entries();
    const pairs = this.#pairs as number[];
    const out: Array<[number, number]> = [];
    for (let j = 0; j < pairs.length; j += 2) out.push([pairs[j] as number, pairs[j + 1] as number]);
    return out;
  }

  static fromJSON(entries: ReadonlyArray<[number, number]>): RecentAuthors {
    const r = new RecentAuthors();
    for (const [h, ts] of entries) r.see(h, ts);
    return r;
  }
}

/**
 * Sightings in arrival order from `head` on (absolute positions: `base` is the position of
 * `hashes[0]`), and for each author still remembered the position of their latest sighting.
 * Hashes are stored as int32 (`| 0`) so the Map's keys are small integers, and given back unsigned.
 */
class SightingLog {
  hashes: number[] = [];
  times: number[] = [];
  /** Absolute position of `hashes[0]`. */
  base = 0;
  /** Absolute position of the oldest sighting that may still be live. */
  head = 0;
  /** Author (int32 hash) → absolute position of their latest sighting. */
  readonly index = new Map<number, number>();

  see(hash: number, ts: number): void {
    const key = hash | 0;
    this.index.set(key, this.base + this.hashes.length);
    this.hashes.push(key);
    this.times.push(ts);
    if (this.hashes.length > 64 && this.hashes.length > 2 * this.index.size) this.#compact();
  }

  /** Same walk as a last-seen-ordered Map: drop from the oldest while older than `cutoff`. */
  expire(cutoff: number): void {
    const end = this.base + this.hashes.length;
    let at = this.head;
    for (; at < end; at++) {
      const key = this.hashes[at - this.base] as number;
      if (this.index.get(key) !== at) continue;
      if ((this.times[at - this.base] as number) >= cutoff) break;
      this.index.delete(key);
    }
    this.head = at;
    if (this.head - this.base > 64 && (this.head - this.base) * 2 > this.hashes.length) this.#compact();
  }

  entries(): Array<[number, number]> {
    const out: Array<[number, number]> = [];
    const end = this.base + this.hashes.length;
    for (let at = this.head; at < end; at++) {
      const key = this.hashes[at - this.base] as number;
      if (this.index.get(key) === at) out.push([key >>> 0, this.times[at - this.base] as number]);
    }
    return out;
  }

  /** Keeps only the live sightings, in order, and renumbers them. */
  #compact(): void {
    const hashes: number[] = [];
    const times: number[] = [];
    const end = this.base + this.hashes.length;
    const base = end;
    for (let at = this.head; at < end; at++) {
      const key = this.hashes[at - this.base] as number;
      if (this.index.get(key) !== at) continue;
      this.index.set(key, base + hashes.length);
      hashes.push(key);
      times.push(this.times[at - this.base] as number);
    }
    this.hashes = hashes;
    this.times = times;
    this.base = base;
    this.head = base;
  }
}
