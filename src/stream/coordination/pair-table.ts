import { StateBytes } from './state-bytes.ts';

/**
 * Account pairs (or any keyed evidence) with a hard cap. The map is kept in order of last update,
 * so expiry walks from the front; when full, the least recently updated *weak* entry among the
 * oldest `scan` goes first (a pair seen once is cheaper to lose than one seen again), otherwise the
 * least recently updated. Deterministic: the same updates leave the same entries in the same order.
 */
export class PairTable<V> {
  /** Created on the first entry (most tags never store a pair). */
  #map: Map<string, V> | undefined;
  /** Shared by the tables made with the same rules: a tag holds three tables, mostly empty. */
  readonly #rules: PairRules<V>;

  constructor(max: number, isWeak: (value: V) => boolean, lastTs: (value: V) => number, scan = 64) {
    this.#rules = sharedRules(max, isWeak, lastTs, scan);
  }

  get size(): number {
    return this.#map?.size ?? 0;
  }

  /** Rough bytes held, given the bytes of one value. */
  bytes(valueBytes: number): number {
    return this.#map === undefined ? 0 : StateBytes.map + this.#map.size * (StateBytes.mapEntry + StateBytes.key + valueBytes);
  }

  get(key: string): V | undefined {
    return this.#map?.get(key);
  }

  /** Stores `value` under `key` as the most recently updated entry, evicting one when full. */
  set(key: string, value: V): void {
    const map = (this.#map ??= new Map());
    if (map.has(key)) map.delete(key);
    else if (map.size >= this.#rules.max) this.#evictOne(map);
    map.set(key, value);
  }

  /**
   * The entry under `key` made the most recently updated (as `set` would make it), for the caller
   * to update in place instead of storing a new value; undefined when there is none.
   */
  touch(key: string): V | undefined {
    const map = this.#map;
    const value = map?.get(key);
    if (map === undefined || value === undefined) return undefined;
    map.delete(key);
    map.set(key, value);
    return value;
  }

  delete(key: string): void {
    const map = this.#map;
    if (map === undefined) return;
    map.delete(key);
    if (map.size === 0) this.#map = undefined;
  }

  /** Drops entries last updated before `cutoff`. */
  expire(cutoff: number): void {
    const map = this.#map;
    if (map === undefined) return;
    for (const [key, value] of map) {
      if (this.#rules.lastTs(value) >= cutoff) break;
      map.delete(key);
    }
    if (map.size === 0) this.#map = undefined;
  }

  values(): IterableIterator<V> {
    return (this.#map ?? NO_ENTRIES).values() as IterableIterator<V>;
  }

  entries(): IterableIterator<[string, V]> {
    return (this.#map ?? NO_ENTRIES).entries() as IterableIterator<[string, V]>;
  }

  clear(): void {
    this.#map = undefined;
  }

  #evictOne(map: Map<string, V>): void {
    let first: string | undefined;
    let scanned = 0;
    for (const [key, value] of map) {
      first ??= key;
      if (this.#rules.isWeak(value)) {
        map.delete(key);
        return;
      }
      if (++scanned >= this.#rules.scan) break;
    }
    if (first !== undefined) map.delete(first);
  }
}

const NO_ENTRIES: ReadonlyMap<string, never> = new Map<string, never>();

interface PairRules<V> {
  readonly max: number;
  readonly isWeak: (value: V) => boolean;
  readonly lastTs: (value: V) => number;
  readonly scan: number;
}

/** Rules by their `isWeak` function (the callers make theirs once per options object). */
const rulesByIsWeak = new WeakMap<(value: never) => boolean, Array<PairRules<never>>>();

function sharedRules<V>(max: number, isWeak: (value: V) => boolean, lastTs: (value: V) => number, scan: number): PairRules<V> {
  let known = rulesByIsWeak.get(isWeak);
  if (known === undefined) {
    known = [];
    rulesByIsWeak.set(isWeak, known);
  }
  for (const rules of known) if (rules.max === max && rules.lastTs === lastTs && rules.scan === scan) return rules as unknown as PairRules<V>;
  const rules: PairRules<V> = { max, isWeak, lastTs, scan };
  known.push(rules as unknown as PairRules<never>);
  return rules;
}
