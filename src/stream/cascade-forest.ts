import type { SpreadOptions } from './options.ts';

/** Size, depth and structural virality of one cascade or the largest of several. */
export interface CascadeFigures {
  /** Cascades counted. */
  count: number;
  /** Nodes of the largest cascade (root included). */
  largest: number;
  /** Deepest reply/repost chain, in hops from the root. */
  maxDepth: number;
  /** Structural virality (mean distance between two nodes; Goel et al. 2016) of the largest cascade. */
  virality: number;
}

/** Nodes up to which a cascade's arrays are copied at their exact size when they grow. */
const EXACT_NODES = 2;
/** Indexed nodes (all live cascades) up to which a lookup scans the keys instead of keeping a Map. */
const SCAN_MAX = 8;
/** Live cascades up to which the list is copied at its exact size when it grows. */
const EXACT_CASCADES = 4;
const NO_RETIRED: readonly [number, number, number, number] = [0, 0, 0, 0];
/** Shared empty list: never mutated in place (a list grows by `concat` until `EXACT_CASCADES`, and `splice` needs an element). */
const NO_CASCADES: Cascade[] = [];

interface Cascade {
  /** Parent index of each node; -1 for the root. Children always come after their parent. */
  parent: number[];
  depth: number[];
  keys: string[];
  /** Nodes counted, including those past the node cap. */
  size: number;
  maxDepth: number;
  lastTs: number;
}

/** JSON form: live cascades and the retired maxima. */
export interface CascadeForestState {
  c: Array<{ p: number[]; k: string[]; s: number; t: number }>;
  r: [number, number, number, number];
}

/**
 * The reposts/replies trees of one tag, built from `parentId`: a post whose parent is a known
 * node joins that node's cascade one level deeper; otherwise its parent becomes the root of a new
 * cascade (the parent may predate our window or lack the tag). Bounded: at most `maxCascades`
 * live cascades of `maxCascadeNodes` indexed nodes each; cascades idle for `cascadeIdleMs` or
 * pushed out by newer ones are retired into cumulative maxima.
 */
export class CascadeForest {
  readonly #opts: SpreadOptions;
  // Most tags hold one cascade of a root and a node or two: a Map index (with an entry object
  // per node), a push-grown list and a retired tuple would cost more than the cascade itself,
  // so the list grows at exact size, small forests are scanned, and the rest is made on first need.
  #live: Cascade[] = NO_CASCADES;
  /** Indexed nodes over the live cascades (the sum of their `keys` lengths). */
  #indexed = 0;
  /** Key → node, once more than `SCAN_MAX` nodes are indexed (undefined: scan `#live`). */
  #index: Map<string, { c: Cascade; i: number }> | undefined;
  /** Retired cascades: count, largest size, deepest chain, virality of the largest (shared zeros until the first). */
  #retired: readonly [number, number, number, number] = NO_RETIRED;

  constructor(opts: SpreadOptions) {
    this.#opts = opts;
  }

  get empty(): boolean {
    return this.#live.length === 0 && this.#retired[0] === 0;
  }

  /** The live node of `key`, if any. */
  #find(key: string): { c: Cascade; i: number } | undefined {
    if (this.#index !== undefined) return this.#index.get(key);
    for (const c of this.#live) {
      // The last one, as a Map set key by key keeps it (a post that names itself as parent is in its cascade twice).
      const i = c.keys.lastIndexOf(key);
      if (i >= 0) return { c, i };
    }
    return undefined;
  }

  #indexNode(key: string, c: Cascade, i: number): void {
    this.#indexed++;
    if (this.#index !== undefined) {
      this.#index.set(key, { c, i });
    } else if (this.#indexed > SCAN_MAX) {
      const index = new Map<string, { c: Cascade; i: number }>();
      for (const live of this.#live) live.keys.forEach((k, j) => index.set(k, { c: live, i: j }));
      this.#index = index;
    }
  }

  /** Adds post `key` whose parent is `parentKey`, at event time `ts`. */
  add(key: string, parentKey: string, ts: number): void {
    if (this.#find(key) !== undefined) return;
    let at = this.#find(parentKey);
    if (at === undefined) {
      const c: Cascade = { parent: [-1], depth: [0], keys: [parentKey], size: 1, maxDepth: 0, lastTs: ts };
      if (this.#live.length < EXACT_CASCADES) this.#live = this.#live.concat(c);
      else this.#live.push(c);
      this.#indexNode(parentKey, c, 0);
      at = { c, i: 0 };
      if (this.#live.length > this.#opts.maxCascades) this.#retireLeastRecent();
    }
    const c = at.c;
    c.size++;
    c.lastTs = Math.max(c.lastTs, ts);
    const depth = (c.depth[at.i] as number) + 1;
    if (c.parent.length < this.#opts.maxCascadeNodes) {
      if (c.parent.length < EXACT_NODES) {
        // Most cascades stay at a root and one node: exact-size copies, where a push would reserve 17 slots per array.
        c.parent = c.parent.concat(at.i);
        c.depth = c.depth.concat(depth);
        c.keys = c.keys.concat(key);
      } else {
        c.parent.push(at.i);
        c.depth.push(depth);
        c.keys.push(key);
      }
      this.#indexNode(key, c, c.parent.length - 1);
      c.maxDepth = Math.max(c.maxDepth, depth);
    }
  }

  /** Retires cascades with no node since `now − cascadeIdleMs`. */
  expire(now: number): void {
    for (let j = this.#live.length - 1; j >= 0; j--) {
      const c = this.#live[j] as Cascade;
      if (c.lastTs < now - this.#opts.cascadeIdleMs) this.#retire(j);
    }
  }

  /** Figures over live cascades active since `since` (all live ones for −∞), plus retired ones if `cumulative`. */
  figures(since: number, cumulative: boolean): CascadeFigures {
    const out: CascadeFigures = { count: 0, largest: 0, maxDepth: 0, virality: 0 };
    if (cumulative) {
      [out.count, out.largest, out.maxDepth, out.virality] = this.#retired;
    }
    for (const c of this.#live) {
      if (c.lastTs < since) continue;
      out.count++;
      out.maxDepth = Math.max(out.maxDepth, c.maxDepth);
      if (c.size > out.largest) {
        out.largest = c.size;
        out.virality = structuralVirality(c.parent);
      }
    }
    return out;
  }

  /** Rough bytes held (V8 sizes: the forest and its list, per cascade its object and three arrays, per node its slots and key, the index past `SCAN_MAX`). */
  get bytes(): number {
    let b = 120;
    for (const c of this.#live) {
      b += 220;
      for (const k of c.keys) b += 48 + k.length;
    }
    if (this.#index !== undefined) b += 80 * this.#indexed;
    return b;
  }

  toJSON(): CascadeForestState {
    // Copies: a checkpoint may be serialized later (queued in-process) while big cascades grow in place.
    return { c: this.#live.map((c) => ({ p: c.parent.slice(), k: c.keys.slice(), s: c.size, t: c.lastTs })), r: [...this.#retired] };
  }

  static fromJSON(state: CascadeForestState, opts: SpreadOptions): CascadeForest {
    const f = new CascadeForest(opts);
    const r = state.r;
    if (r[0] !== 0 || r[1] !== 0 || r[2] !== 0 || r[3] !== 0) f.#retired = [r[0], r[1], r[2], r[3]];
    for (const s of state.c) {
      const depth: number[] = [];
      let maxDepth = 0;
      for (const p of s.p) {
        const d = p < 0 ? 0 : (depth[p] as number) + 1;
        depth.push(d);
        maxDepth = Math.max(maxDepth, d);
      }
      const c: Cascade = { parent: s.p, depth, keys: s.k, size: s.s, maxDepth, lastTs: s.t };
      f.#live = f.#live.concat(c);
      s.k.forEach((k, i) => f.#indexNode(k, c, i));
    }
    return f;
  }

  #retireLeastRecent(): void {
    let oldest = 0;
    for (let j = 1; j < this.#live.length; j++) {
      if ((this.#live[j] as Cascade).lastTs < (this.#live[oldest] as Cascade).lastTs) oldest = j;
    }
    this.#retire(oldest);
  }

  #retire(j: number): void {
    const c = this.#live[j] as Cascade;
    this.#live.splice(j, 1);
    this.#indexed -= c.keys.length;
    if (this.#index !== undefined) for (const k of c.keys) this.#index.delete(k);
    if (this.#live.length === 0) {
      this.#live = NO_CASCADES;
      this.#index = undefined;
    }
    const r: [number, number, number, number] = this.#retired === NO_RETIRED ? [0, 0, 0, 0] : (this.#retired as [number, number, number, number]);
    this.#retired = r;
    r[0]++;
    r[2] = Math.max(r[2], c.maxDepth);
    if (c.size > r[1]) {
      r[1] = c.size;
      r[3] = structuralVirality(c.parent);
    }
  }
}

/**
 * Mean shortest-path distance over all pairs of nodes of a tree (Goel et al. 2016), from the
 * Wiener index: each edge lies on s·(n − s) paths, s being the size of the subtree below it.
 * `parent[i] < i` for every non-root node. A star (broadcast) scores just under 2; a long chain
 * (person-to-person spread) scores about n/3.
 */
export function structuralVirality(parent: readonly number[]): number {
  const n = parent.length;
  if (n < 2) return 0;
  const size = new Float64Array(n).fill(1);
  let wiener = 0;
  for (let i = n - 1; i > 0; i--) {
    const s = size[i] as number;
    wiener += s * (n - s);
    const p = parent[i] as number;
    if (p >= 0) size[p] = (size[p] as number) + s;
  }
  return wiener / ((n * (n - 1)) / 2);
}
