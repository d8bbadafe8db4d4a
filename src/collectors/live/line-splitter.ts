import { MAX_DEAD_LETTER_PAYLOAD } from '../../model/index.ts';

const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;

/**
 * Splits a byte stream into `\n`-terminated lines (a trailing `\r` is dropped) without holding
 * more than `maxLineBytes` of one line: a longer line keeps only a prefix (for its dead letter)
 * and reports its full size. Empty lines are keep-alives.
 */
export class LineSplitter {
  readonly #maxLineBytes: number;
  readonly #keepBytes: number;
  readonly #onLine: (line: Buffer, totalBytes: number) => void;
  readonly #onEmptyLine: () => void;
  #parts: Buffer[] = [];
  #keptBytes = 0;
  #totalBytes = 0;

  constructor(maxLineBytes: number, onLine: (line: Buffer, totalBytes: number) => void, onEmptyLine: () => void) {
    this.#maxLineBytes = maxLineBytes;
    this.#keepBytes = Math.min(maxLineBytes, MAX_DEAD_LETTER_PAYLOAD);
    this.#onLine = onLine;
    this.#onEmptyLine = onEmptyLine;
  }

  /** Bytes of an unfinished line held so far. */
  get pendingBytes(): number {
    return this.#totalBytes;
  }

  push(chunk: Buffer): void {
    let start = 0;
    while (start < chunk.length) {
      const newline = chunk.indexOf(NEWLINE, start);
      const end = newline === -1 ? chunk.length : newline;
      this.#append(chunk.subarray(start, end));
      if (newline === -1) return;
      this.#finishLine();
      start = newline + 1;
    }
  }

  /** Forgets an unfinished line (the connection ended in the middle of it); returns its size. */
  reset(): number {
    const dropped = this.#totalBytes;
    this.#parts = [];
    this.#keptBytes = 0;
    this.#totalBytes = 0;
    return dropped;
  }

  #append(piece: Buffer): void {
    if (piece.length === 0) return;
    this.#totalBytes += piece.length;
    // Past the limit only a prefix is kept, for the dead letter.
    const limit = this.#totalBytes > this.#maxLineBytes ? this.#keepBytes : this.#maxLineBytes;
    if (this.#keptBytes > limit) this.#trimTo(limit);
    const room = limit - this.#keptBytes;
    if (room <= 0) return;
    const kept = piece.length > room ? piece.subarray(0, room) : piece;
    this.#parts.push(kept);
    this.#keptBytes += kept.length;
  }

  #trimTo(bytes: number): void {
    const joined = Buffer.concat(this.#parts).subarray(0, bytes);
    this.#parts = [joined];
    this.#keptBytes = joined.length;
  }

  #finishLine(): void {
    let line = this.#parts.length === 1 ? (this.#parts[0] as Buffer) : Buffer.concat(this.#parts);
    let total = this.#totalBytes;
    this.#parts = [];
    this.#keptBytes = 0;
    this.#totalBytes = 0;
    if (total <= this.#maxLineBytes && line.length > 0 && line[line.length - 1] === CARRIAGE_RETURN) {
      line = line.subarray(0, line.length - 1);
      total--;
    }
    if (total === 0) this.#onEmptyLine();
    else this.#onLine(line, total);
  }
}
