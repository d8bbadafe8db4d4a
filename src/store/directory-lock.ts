import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ErrorCodes, ExternalError } from '../errors/index.ts';

const LOCK_FILE = 'tagwatch.lock';

/** Holders of each directory in this process: chDB shares one engine per path, so may tagwatch. */
const holders = new Map<string, number>();

/**
 * Keeps a second process from writing to an embedded store that one is already writing to: chDB
 * does not lock its directory, and two engines merging the same parts would lose data. Readers
 * (`tagwatch sql`) do not take it. A lock left by a dead process is taken over.
 */
export class StoreDirectoryLock {
  readonly #path: string;
  #released = false;

  private constructor(path: string) {
    this.#path = path;
  }

  static acquire(dir: string): StoreDirectoryLock {
    const count = holders.get(dir) ?? 0;
    if (count === 0) take(join(dir, LOCK_FILE));
    holders.set(dir, count + 1);
    return new StoreDirectoryLock(dir);
  }

  release(): void {
    if (this.#released) return;
    this.#released = true;
    const count = (holders.get(this.#path) ?? 1) - 1;
    if (count > 0) {
      holders.set(this.#path, count);
      return;
    }
    holders.delete(this.#path);
    const file = join(this.#path, LOCK_FILE);
    if (ownerOf(file) === process.pid) rmSync(file, { force: true });
  }
}

function take(file: string): void {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(file, `${process.pid}\n`, { flag: 'wx' });
      return;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const owner = ownerOf(file);
    if (owner !== undefined && owner !== process.pid && isAlive(owner)) {
      throw new ExternalError(
        ErrorCodes.STORE_UNAVAILABLE,
        `the store at ${file.slice(0, -LOCK_FILE.length - 1)} is in use by process ${owner}: stop it first, or use another --store directory`,
        { input: file },
      );
    }
    rmSync(file, { force: true });
  }
  throw new ExternalError(ErrorCodes.STORE_UNAVAILABLE, `cannot take the store lock ${file}`, { input: file });
}

function ownerOf(file: string): number | undefined {
  try {
    const pid = Number.parseInt(readFileSync(file, 'utf8').trim(), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
