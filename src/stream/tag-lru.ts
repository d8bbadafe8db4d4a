import type { TagState } from './tag-state.ts';

/**
 * The live tags by name, in least-recently-released order (the LRU and idle-sweep order).
 *
 * A Map alone keeps that order only through `delete` + `set` on every event, which churns its
 * hash table; here the Map is only for lookup and the order is an intrusive doubly linked list
 * through the tags themselves (`lruPrev` / `lruNext`), so moving a tag to the end is four
 * pointer writes. Iteration order is exactly what the delete + set Map gave.
 */
export class TagLru {
  readonly #byTag = new Map<string, TagState>();
  #head: TagState | undefined;
  #tail: TagState | undefined;

  get size(): number {
    return this.#byTag.size;
  }

  get(tag: string): TagState | undefined {
    return this.#byTag.get(tag);
  }

  /** The least recently used tag. */
  first(): TagState | undefined {
    return this.#head;
  }

  /** Adds `t` as the most recent, replacing a tag of the same name if there is one. */
  put(t: TagState): void {
    const old = this.#byTag.get(t.tag);
    if (old !== undefined) this.#unlink(old);
    this.#byTag.set(t.tag, t);
    this.#append(t);
  }

  /** Marks `t` (a member) the most recent. */
  touch(t: TagState): void {
    if (this.#tail === t) return;
    this.#unlink(t);
    this.#append(t);
  }

  /** Forgets the tag named `tag` (whichever state holds the name). */
  delete(tag: string): void {
    const t = this.#byTag.get(tag);
    if (t === undefined) return;
    this.#byTag.delete(tag);
    this.#unlink(t);
  }

  /** Least recent first. The tag being visited may be deleted during the iteration. */
  *values(): IterableIterator<TagState> {
    let t = this.#head;
    while (t !== undefined) {
      const next = t.lruNext;
      yield t;
      t = next;
    }
  }

  #append(t: TagState): void {
    t.lruPrev = this.#tail;
    t.lruNext = undefined;
    if (this.#tail === undefined) this.#head = t;
    else this.#tail.lruNext = t;
    this.#tail = t;
  }

  #unlink(t: TagState): void {
    const { lruPrev: prev, lruNext: next } = t;
    if (prev === undefined) this.#head = next;
    else prev.lruNext = next;
    if (next === undefined) this.#tail = prev;
    else next.lruPrev = prev;
    t.lruPrev = undefined;
    t.lruNext = undefined;
  }
}
