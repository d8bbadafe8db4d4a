/**
 * Rough V8 sizes (64-bit, pointer compression) of what the coordination state holds, for the
 * analyze stage's bytes-per-live-tag figure. Estimates, checked against heap snapshots of the
 * memory benchmark (10k tags × 3 posts): within ~20 % of the measured heap.
 */
export const StateBytes = {
  /** A map or set entry (hash table slot, key and value pointers, spare capacity). */
  mapEntry: 24,
  /** An empty Map / Set with its initial table. */
  map: 100,
  /** Array header + elements header. */
  array: 32,
  /** A boxed double (times kept in object fields). */
  heapNumber: 12,
  /** A post key or pair key string (`platform:id`, `a\0b`). */
  key: 40,
  /** The fixed part of a tag's state: the state object and its eight sub-trackers. */
  tagState: 960,
  /** An account record: the object, two boxed times, its map entry and last post key. */
  account: 150,
  /** A stored text: entry object, boxed time, post key, and its 64-byte signature (shared by the post's tags, counted once per tag). */
  text: 270,
  /** A stored account pair with its value object. */
  pair: 110,
  /** The per-second counter of co-activity (two rings of 15). */
  secondRings: 272,
} as const;

/** A post kept whole for a tag seen once (the object, its author and strings). */
export function postBytes(text: string): number {
  return 350 + text.length * 2;
}
