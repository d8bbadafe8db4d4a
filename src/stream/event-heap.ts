import type { TagEvent } from '../model/index.ts';

/** An event waiting in the reorder buffer, with its sort key. */
export interface PendingEvent {
  ts: number;
  /** `platform:id`: breaks ties in event time, so the order never depends on arrival. */
  key: string;
  /** `tag \0 key`: the stage's pending-key set entry (kept so it is built once per event). */
  pendingKey: string;
  event: TagEvent;
}

function before(a: PendingEvent, b: PendingEvent): boolean {
  if (a.ts !== b.ts) return a.ts < b.ts;
  if (a.key !== b.key) return a.key < b.key;
  return a.event.tag < b.event.tag;
}

/**
 * The reorder buffer: a binary min-heap of pending events ordered by (event time, post key, tag).
 * Popping in this order hands every tag its events in (time, key) order.
 */
export class EventHeap {
  readonly #items: PendingEvent[] = [];

  get size(): number {
    return this.#items.length;
  }

  peek(): PendingEvent | undefined {
    return this.#items[0];
  }

  values(): readonly PendingEvent[] {
    return this.#items;
  }

  push(item: PendingEvent): void {
    // Sift up by moving the hole, not by swapping (a destructuring swap allocates).
    const a = this.#items;
    let i = a.length;
    a.push(item);
    while (i > 0) {
      const p = (i - 1) >> 1;
      const parent = a[p] as PendingEvent;
      if (!before(item, parent)) break;
      a[i] = parent;
      i = p;
    }
    a[i] = item;
  }

  pop(): PendingEvent | undefined {
    const a = this.#items;
    const top = a[0];
    const last = a.pop();
    const n = a.length;
    if (n > 0 && last !== undefined) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= n) break;
        const r = l + 1;
        let m = l;
        if (r < n && before(a[r] as PendingEvent, a[l] as PendingEvent)) m = r;
        const child = a[m] as PendingEvent;
        if (!before(child, last)) break;
        a[i] = child;
        i = m;
      }
      a[i] = last;
    }
    return top;
  }
}
