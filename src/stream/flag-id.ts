import { createHash } from 'node:crypto';

/**
 * The id of a detector's flag for one tag and episode: the same input always gives the same id,
 * so a replay, a restart or a second worker re-emitting the flag updates it instead of adding one.
 */
export function flagId(tag: string, kind: string, episodeStart: number): string {
  return createHash('sha256').update(`${tag}\u0000${kind}\u0000${episodeStart}`).digest('hex').slice(0, 32);
}
