/**
 * A bounded set of recently seen keys: the oldest key is forgotten first. A duplicate older
 * than the capacity passes through here and is absorbed downstream (the sink's writes are
 * idempotent, the analyze stage deduplicates its open windows).
 */
export class RecentKeys {
  readonly #capacity: number;
  readonly #keys = new Set<string>();

  constructor(capacity: number) {
    this.#capacity = capacity;
  }

  get size(): number {
    return this.#keys.size;
  }

  clear(): void {
    this.#keys.clear();
  }

  /** Records `key`; returns false when it was already present. */
  add(key: string): boolean {
    if (this.#capacity === 0) return true;
    if (this.#keys.has(key)) return false;
    this.#keys.add(key);
    if (this.#keys.size > this.#capacity) {
      const oldest = this.#keys.values().next().value as string;
      this.#keys.delete(oldest);
    }
    return true;
  }
}
