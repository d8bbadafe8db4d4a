import type { LiveStats } from './live-stats.ts';
import type { RawFrame } from './types.ts';

/** Something whose reading can be paused: a session. */
export interface Pausable {
  pause(): void;
  resume(): void;
}

/**
 * The frames read from a source's sessions and not yet handed on. Reading is paused while a
 * batch is being handed on (the pipeline may be slow) or the buffer is full, and resumes once
 * the batch is accepted and the buffer is back under half, so what a source holds in memory is
 * bounded by `maxBufferedFrames` plus what a socket had already read when it was paused.
 */
export class FramePump {
  readonly #maxBufferedFrames: number;
  readonly #stats: LiveStats;
  readonly #sources = new Set<Pausable>();
  #frames: RawFrame[] = [];
  #head = 0;
  #busy = false;
  #paused = false;
  #ended = false;
  #wake: (() => void) | undefined;

  constructor(maxBufferedFrames: number, stats: LiveStats) {
    this.#maxBufferedFrames = maxBufferedFrames;
    this.#stats = stats;
  }

  get size(): number {
    return this.#frames.length - this.#head;
  }

  get paused(): boolean {
    return this.#paused;
  }

  /** Starts controlling a session; returns the function that stops it. */
  attach(source: Pausable): () => void {
    this.#sources.add(source);
    if (this.#paused) source.pause();
    return () => {
      this.#sources.delete(source);
    };
  }

  push(frame: RawFrame): void {
    if (this.#ended) return;
    this.#frames.push(frame);
    this.#stats.bufferedFrames = this.size;
    this.#update();
    this.#wake?.();
  }

  /** No more frames will come; `take` returns what is left, then an empty batch. */
  end(): void {
    this.#ended = true;
    this.#wake?.();
  }

  /** Drops what is buffered (the output refused it) and ends. */
  discard(): void {
    this.#frames = [];
    this.#head = 0;
    this.#stats.bufferedFrames = 0;
    this.end();
  }

  /** Waits for frames and takes up to `max`; an empty batch means the pump ended and is empty. */
  async take(max: number): Promise<RawFrame[]> {
    while (this.size === 0 && !this.#ended) {
      await new Promise<void>((resolve) => {
        this.#wake = resolve;
      });
      this.#wake = undefined;
    }
    const end = Math.min(this.#frames.length, this.#head + max);
    const batch = this.#frames.slice(this.#head, end);
    this.#head = end;
    if (this.#head > 1024 && this.#head * 2 > this.#frames.length) {
      this.#frames = this.#frames.slice(this.#head);
      this.#head = 0;
    }
    this.#stats.bufferedFrames = this.size;
    return batch;
  }

  /** True while a batch is being handed on: reading pauses until it has been accepted. */
  setBusy(busy: boolean): void {
    this.#busy = busy;
    this.#update();
  }

  #update(): void {
    const size = this.size;
    if (!this.#paused && (this.#busy || size >= this.#maxBufferedFrames)) {
      this.#paused = true;
      this.#stats.paused = true;
      for (const source of this.#sources) source.pause();
    } else if (this.#paused && !this.#busy && size <= this.#maxBufferedFrames / 2) {
      this.#paused = false;
      this.#stats.paused = false;
      for (const source of this.#sources) source.resume();
    }
  }
}
