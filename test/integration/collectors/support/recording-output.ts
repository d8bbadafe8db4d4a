import type { CollectorOutput } from '../../../../src/collectors/types.ts';
import type { DeadLetter, Deletion, RawPost } from '../../../../src/model/index.ts';

/**
 * A CollectorOutput that records what it is handed. `hold()` makes `posts()` calls wait until
 * released (a slow pipeline); `until()` resolves once a condition holds (no sleeping in tests).
 */
export class RecordingOutput implements CollectorOutput {
  readonly postRecords: RawPost[] = [];
  readonly deletionRecords: Deletion[] = [];
  readonly deadLetterRecords: DeadLetter[] = [];
  pendingPostCalls = 0;
  #gate: Promise<void> | undefined;
  #waiters: Array<{ check: () => boolean; resolve: () => void }> = [];

  /** The posts, as wire-format objects. */
  get postInputs(): unknown[] {
    return this.postRecords.map((r) => r.post);
  }

  get postIds(): string[] {
    return this.postRecords.map((r) => (r.post as { id: string }).id);
  }

  /** Until the returned function is called, `posts()` calls wait (and keep the collector paused). */
  hold(): () => void {
    let release!: () => void;
    this.#gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    return () => {
      this.#gate = undefined;
      release();
    };
  }

  async posts(records: RawPost[]): Promise<void> {
    this.pendingPostCalls++;
    this.#notify();
    try {
      while (this.#gate !== undefined) await this.#gate;
      this.postRecords.push(...records);
    } finally {
      this.pendingPostCalls--;
      this.#notify();
    }
  }

  async deletions(records: Deletion[]): Promise<void> {
    this.deletionRecords.push(...records);
    this.#notify();
  }

  async deadLetters(records: DeadLetter[]): Promise<void> {
    this.deadLetterRecords.push(...records);
    this.#notify();
  }

  /**
   * Resolves once `check()` is true (checked after every record handed on), after the collector
   * has returned from the call that made it true (so its figures are up to date).
   */
  async until(check: () => boolean): Promise<void> {
    if (!check()) await new Promise<void>((resolve) => this.#waiters.push({ check, resolve }));
    await new Promise<void>((resolve) => setImmediate(resolve));
  }

  #notify(): void {
    this.#waiters = this.#waiters.filter((w) => {
      if (!w.check()) return true;
      w.resolve();
      return false;
    });
  }
}
