import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../../fixtures/protocol/', import.meta.url));

/** A protocol fixture as the exact text sent on the wire (one frame, no trailing newline). */
export function frame(path: string): string {
  return readFileSync(root + path, 'utf8').replace(/\n$/, '');
}

/** A fixture's raw bytes (byte-exact transcripts). */
export function bytes(path: string): Buffer {
  return readFileSync(root + path);
}

export function json<T = Record<string, unknown>>(path: string): T {
  return JSON.parse(frame(path)) as T;
}
