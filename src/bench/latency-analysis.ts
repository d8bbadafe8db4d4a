/**
 * Produce → visible latencies from what the collector recorded (each post's event time and send
 * time, in produce order) and what the sink recorded (when each minute row and flag was written).
 * Pure functions over arrays, so they can be tested without a broker.
 */

const MINUTE_MS = 60_000;

export interface MinuteVisibility {
  tag: string;
  /** Start of the minute, epoch ms. */
  minute: number;
  /** Wall time the row (any revision) was first written. */
  at: number;
}

export interface FlagVisibility {
  id: string;
  /** Event-time watermark at which the flag fired. */
  detectedAt: number;
  at: number;
}

/** First write time per key: a later revision of the same row does not make it visible again. */
function firstSeen<T>(items: readonly T[], key: (item: T) => string, at: (item: T) => number): Map<string, number> {
  const first = new Map<string, number>();
  for (const item of items) {
    const k = key(item);
    const t = at(item);
    const seen = first.get(k);
    if (seen === undefined || t < seen) first.set(k, t);
  }
  return first;
}

/**
 * For every (post, tag) pair: the time from the post's send to the first write of its tag's
 * minute row. Pairs whose minute was never written (it had not closed when the run ended) are
 * counted apart, not guessed.
 */
export function minuteLatencies(
  ts: ArrayLike<number>,
  sentAt: ArrayLike<number>,
  tagsOf: (index: number) => readonly string[],
  rows: readonly MinuteVisibility[],
): { latencies: number[]; missing: number } {
  const visible = firstSeen(rows, (r) => `${r.tag}\u0000${r.minute}`, (r) => r.at);
  const latencies: number[] = [];
  let missing = 0;
  for (let i = 0; i < ts.length; i++) {
    const minute = Math.floor((ts[i] as number) / MINUTE_MS) * MINUTE_MS;
    for (const tag of tagsOf(i)) {
      const at = visible.get(`${tag}\u0000${minute}`);
      if (at === undefined) missing++;
      else latencies.push(at - (sentAt[i] as number));
    }
  }
  return { latencies, missing };
}

/** Index of the first element of the ascending `sorted` that is ≥ `value` (length when none is). */
export function lowerBound(sorted: ArrayLike<number>, value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as number) < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * For every flag: the time from the send of its triggering post to the flag's first write. The
 * triggering post is the first one (in produce order, which is event-time order) whose event
 * time reached the flag's `detectedAt`: before it arrived the event-time clock could not be
 * there, so the flag could not have fired. Flags fired at a watermark no post reached (the end
 * of input) have no trigger and are counted apart.
 */
export function flagLatencies(ts: ArrayLike<number>, sentAt: ArrayLike<number>, flags: readonly FlagVisibility[]): { latencies: number[]; untriggered: number } {
  const first = new Map<string, FlagVisibility>();
  for (const f of flags) {
    const seen = first.get(f.id);
    if (seen === undefined || f.at < seen.at) first.set(f.id, f);
  }
  const latencies: number[] = [];
  let untriggered = 0;
  for (const f of first.values()) {
    const i = lowerBound(ts, f.detectedAt);
    if (i >= ts.length) {
      untriggered++;
      continue;
    }
    latencies.push(f.at - (sentAt[i] as number));
  }
  return { latencies, untriggered };
}

/**
 * For every minute row: the time from the send of the post that made it closable (the first
 * post whose event time is `closeAfterMs` past the minute's end: the analyze stage emits a minute
 * once its clock is the reorder bound past it) to the row's first write. This is the pipeline's
 * own delay, without the wait for the minute to end that the per-post figure includes.
 */
export function minuteCloseLatencies(ts: ArrayLike<number>, sentAt: ArrayLike<number>, rows: readonly MinuteVisibility[], closeAfterMs: number): { latencies: number[]; unclosed: number } {
  const visible = firstSeen(rows, (r) => `${r.tag}\u0000${r.minute}`, (r) => r.at);
  const latencies: number[] = [];
  let unclosed = 0;
  for (const [key, at] of visible) {
    const minute = Number(key.slice(key.lastIndexOf('\u0000') + 1));
    const i = lowerBound(ts, minute + MINUTE_MS + closeAfterMs);
    if (i >= ts.length) unclosed++;
    else latencies.push(at - (sentAt[i] as number));
  }
  return { latencies, unclosed };
}
