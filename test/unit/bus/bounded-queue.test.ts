import { describe, expect, it } from 'vitest';
import { BoundedQueue } from '../../../src/bus/index.ts';
import { ClosedError } from '../../../src/errors/index.ts';

describe('BoundedQueue', () => {
  it('makes a producer wait while full and resumes it when a consumer takes', async () => {
    const queue = new BoundedQueue<number>(2);
    await queue.push([1, 2]);
    let pushed = false;
    const pending = queue.push([3]).then(() => {
      pushed = true;
    });
    await Promise.resolve();
    expect(pushed).toBe(false);
    expect(await queue.take(1)).toEqual([1]);
    queue.done();
    await pending;
    expect(pushed).toBe(true);
    expect(await queue.take(10)).toEqual([2, 3]);
    queue.done();
  });

  it('admits a batch larger than the capacity in pieces', async () => {
    const queue = new BoundedQueue<number>(3);
    const taken: number[] = [];
    const consumer = (async () => {
      while (taken.length < 10) {
        taken.push(...(await queue.take(2)));
        queue.done();
      }
    })();
    await queue.push([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    await consumer;
    expect(taken).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('whenIdle waits for items in flight, not only for an empty queue', async () => {
    const queue = new BoundedQueue<number>(10);
    await queue.push([1]);
    await queue.take(10);
    let idle = false;
    const waiting = queue.whenIdle().then(() => {
      idle = true;
    });
    await Promise.resolve();
    expect(idle).toBe(false);
    queue.done();
    await waiting;
    expect(idle).toBe(true);
  });

  it('a taker waiting for its batch to fill takes at once when a drain starts', async () => {
    const queue = new BoundedQueue<number>(10);
    await queue.push([1]);
    const taking = queue.take(100, 60_000);
    const idle = queue.whenIdle();
    expect(await taking).toEqual([1]);
    queue.done();
    await idle;
  });

  it('after close, refuses pushes and drains what is left', async () => {
    const queue = new BoundedQueue<number>(10);
    await queue.push([1, 2]);
    queue.close();
    await expect(queue.push([3])).rejects.toBeInstanceOf(ClosedError);
    expect(await queue.take(10)).toEqual([1, 2]);
    expect(await queue.take(10)).toEqual([]);
  });
});
