/**
 * A binary min-heap of scheduled actions ordered by event time, ties broken by insertion order,
 * so the merged stream is sorted by `createdAt` and identical from run to run.
 */
export interface ScheduledAction<A> {
  ts: number;
  seq: number;
  actor: A;
  arg: number;
}

export class EventQueue<A> {
  private readonly heap: ScheduledAction<A>[] = [];
  private seq = 0;

  get size(): number {
    return this.heap.length;
  }

  push(ts: number, actor: A, arg = 0): void {
    const item: ScheduledAction<A> = { ts, seq: this.seq++, actor, arg };
    const heap = this.heap;
    let i = heap.length;
    heap.push(item);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = heap[parent] as ScheduledAction<A>;
      if (!before(item, p)) break;
      heap[i] = p;
      i = parent;
    }
    heap[i] = item;
  }

  peekTs(): number {
    return this.heap[0]?.ts ?? Number.POSITIVE_INFINITY;
  }

  pop(): ScheduledAction<A> | undefined {
    const heap = this.heap;
    const top = heap[0];
    if (top === undefined) return undefined;
    const last = heap.pop() as ScheduledAction<A>;
    const n = heap.length;
    if (n > 0) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= n) break;
        const r = l + 1;
        let c = l;
        if (r < n && before(heap[r] as ScheduledAction<A>, heap[l] as ScheduledAction<A>)) c = r;
        const child = heap[c] as ScheduledAction<A>;
        if (!before(child, last)) break;
        heap[i] = child;
        i = c;
      }
      heap[i] = last;
    }
    return top;
  }
}

function before<A>(x: ScheduledAction<A>, y: ScheduledAction<A>): boolean {
  return x.ts < y.ts || (x.ts === y.ts && x.seq < y.seq);
}
