import type { TagEvent } from '../model/index.ts';

/** An event waiting in the reorder buffer, with its sort key. */
export interface PendingEvent {
  ts: number;
  /** `platform:id`: breaks ties in event time, so the order never depends on arrival. */
  key: string;
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
    const a = this.#items;
    a.push(item);
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!before(a[i] as PendingEvent, a[p] as PendingEvent)) break;
      [a[i], a[p]] = [a[p] as PendingEvent, a[i] as PendingEvent];
      i = p;
    }
  }

  pop(): PendingEvent | undefined {
    const a = this.#items;
    const top = a[0];
    const last = a.pop();
    if (a.length > 0 && last !== undefined) {
      a[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && before(a[l] as PendingEvent, a[m] as PendingEvent)) m = l;
        if (r < a.length && before(a[r] as PendingEvent, a[m] as PendingEvent)) m = r;
        if (m === i) break;
        [a[i], a[m]] = [a[m] as PendingEvent, a[i] as PendingEvent];
        i = m;
      }
    }
    return top;
  }
}
