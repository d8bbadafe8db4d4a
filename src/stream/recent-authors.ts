/** Entries kept in flat arrays before switching to a Map (most tags have a few recent authors). */
const SMALL_MAX = 32;

/**
 * Authors of one tag with the event time of their last post, oldest first, over a trailing
 * window: answers "distinct authors since t". Small sets are two flat arrays (no Map overhead);
 * beyond 32 authors a Map kept in last-seen order (delete + set moves an author to the end).
 */
export class RecentAuthors {
  #hashes: number[] | undefined = [];
  #times: number[] | undefined = [];
  #map: Map<number, number> | undefined;

  get size(): number {
    return this.#map?.size ?? (this.#hashes as number[]).length;
  }

  see(hash: number, ts: number): void {
    const map = this.#map;
    if (map !== undefined) {
      map.delete(hash);
      map.set(hash, ts);
      return;
    }
    // New exact-size arrays (concat) rather than push/splice/spread, which reserve 17+ slots:
    // most tags have a handful of authors.
    const old = this.#hashes as number[];
    const oldTimes = this.#times as number[];
    const i = old.indexOf(hash);
    const hashes = i < 0 ? old.concat(hash) : old.slice(0, i).concat(old.slice(i + 1), hash);
    const times = i < 0 ? oldTimes.concat(ts) : oldTimes.slice(0, i).concat(oldTimes.slice(i + 1), ts);
    this.#hashes = hashes;
    this.#times = times;
    if (hashes.length > SMALL_MAX) {
      this.#map = new Map(hashes.map((h, j) => [h, times[j] as number]));
      this.#hashes = undefined;
      this.#times = undefined;
    }
  }

  /** Distinct authors whose last post is at or after `since`. */
  since(since: number): number {
    let n = 0;
    if (this.#map !== undefined) {
      for (const ts of this.#map.values()) if (ts >= since) n++;
    } else {
      for (const ts of this.#times as number[]) if (ts >= since) n++;
    }
    return n;
  }

  /** Forgets authors last seen before `cutoff`. */
  expire(cutoff: number): void {
    const map = this.#map;
    if (map !== undefined) {
      for (const [h, ts] of map) {
        if (ts >= cutoff) break;
        map.delete(h);
      }
      return;
    }
    const times = this.#times as number[];
    let drop = 0;
    while (drop < times.length && (times[drop] as number) < cutoff) drop++;
    if (drop > 0) {
      this.#times = times.slice(drop);
      this.#hashes = (this.#hashes as number[]).slice(drop);
    }
  }

  get bytes(): number {
    return this.#map !== undefined ? 100 + 40 * this.#map.size : 60 + 16 * this.size;
  }

  toJSON(): Array<[number, number]> {
    if (this.#map !== undefined) return [...this.#map];
    const times = this.#times as number[];
    return (this.#hashes as number[]).map((h, i) => [h, times[i] as number]);
  }

  static fromJSON(entries: ReadonlyArray<[number, number]>): RecentAuthors {
    const r = new RecentAuthors();
    for (const [h, ts] of entries) r.see(h, ts);
    return r;
  }
}
