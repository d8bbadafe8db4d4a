import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Compares presented bearer tokens with the configured one in constant time (both sides are
 * hashed first, so their lengths leak nothing either). Without a configured token every
 * request passes.
 */
export class BearerCheck {
  readonly #expected: Buffer | undefined;

  constructor(token: string | undefined) {
    this.#expected = token === undefined ? undefined : digest(token);
  }

  get required(): boolean {
    return this.#expected !== undefined;
  }

  /** True when no token is configured or `presented` is the configured token. */
  matches(presented: string | undefined): boolean {
    if (this.#expected === undefined) return true;
    if (presented === undefined) return false;
    return timingSafeEqual(this.#expected, digest(presented));
  }

  /** Checks an `Authorization` header value (`Bearer <token>`, scheme case-insensitive). */
  matchesHeader(header: string | undefined): boolean {
    if (this.#expected === undefined) return true;
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
    return match !== null && this.matches(match[1]);
  }
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}
