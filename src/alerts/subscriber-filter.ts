import type { Flag } from '../model/index.ts';
import type { Subscriber } from './options.ts';

/** Compiles a tag glob (`*` any run, `?` one character) to an anchored regular expression. */
export function compileTagPattern(pattern: string): RegExp {
  let source = '';
  for (const ch of pattern) {
    if (ch === '*') source += '.*';
    else if (ch === '?') source += '.';
    else source += ch.replace(/[\\^$.|+()[\]{}]/gu, '\\$&');
  }
  return new RegExp(`^${source}$`, 'u');
}

/** Which flags a subscriber receives: by tag pattern, kind and minimum score. */
export class SubscriberFilter {
  readonly #patterns: RegExp[];
  readonly #kinds: ReadonlySet<string>;
  readonly #minScore: number;

  constructor(subscriber: Subscriber) {
    this.#patterns = subscriber.filters.tags.map(compileTagPattern);
    this.#kinds = new Set(subscriber.filters.kinds);
    this.#minScore = subscriber.filters.minScore;
  }

  /** Tag and kind: fixed for a whole episode. */
  routes(flag: Flag): boolean {
    if (this.#kinds.size > 0 && !this.#kinds.has(flag.kind)) return false;
    return this.#patterns.some((p) => p.test(flag.tag));
  }

  /** Whether this flag is strong enough to open an alert (updates of an open episode skip this test). */
  opens(flag: Flag): boolean {
    return flag.score >= this.#minScore;
  }
}
