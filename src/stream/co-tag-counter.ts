/**
 * Tags that appear with a tag, counted with the space-saving algorithm (Metwally et al. 2005) in
 * `capacity` slots: a new tag takes the slot of the least counted one and inherits its count, so
 * every tag with a true count above total/capacity is kept. Slots are one flat array
 * ([tag, count, tag, count…]); capacity is small (20) so a linear scan beats a Map.
 */
export class CoTagCounter {
  readonly #capacity: number;
  #slots: Array<string | number> = [];

  constructor(capacity: number) {
    this.#capacity = capacity;
  }

  get size(): number {
    return this.#slots.length / 2;
  }

  add(tag: string): void {
    if (this.#capacity === 0) return;
    const s = this.#slots;
    let min = 0;
    for (let i = 0; i < s.length; i += 2) {
      if (s[i] === tag) {
        s[i + 1] = (s[i + 1] as number) + 1;
        return;
      }
      if ((s[i + 1] as number) < (s[min + 1] as number)) min = i;
    }
    if (s.length / 2 < this.#capacity) {
      this.#slots = s.concat(tag, 1);
      return;
    }
    s[min] = tag;
    s[min + 1] = (s[min + 1] as number) + 1;
  }

  /** The `k` most counted tags, ties by name. */
  top(k: number): Array<{ tag: string; count: number }> {
    const out: Array<{ tag: string; count: number }> = [];
    for (let i = 0; i < this.#slots.length; i += 2) out.push({ tag: this.#slots[i] as string, count: this.#slots[i + 1] as number });
    return out.sort((a, b) => b.count - a.count || (a.tag < b.tag ? -1 : a.tag > b.tag ? 1 : 0)).slice(0, k);
  }

  get bytes(): number {
    return 40 + 8 * this.#slots.length;
  }

  toJSON(): Array<[string, number]> {
    const out: Array<[string, number]> = [];
    for (let i = 0; i < this.#slots.length; i += 2) out.push([this.#slots[i] as string, this.#slots[i + 1] as number]);
    return out;
  }

  static fromJSON(entries: ReadonlyArray<[string, number]>, capacity: number): CoTagCounter {
    const c = new CoTagCounter(capacity);
    c.#slots = entries.flatMap(([tag, count]) => [tag, count]);
    return c;
  }
}
