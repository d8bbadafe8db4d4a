/**
 * Mastodon status ids are decimal strings of a 64-bit "snowflake": milliseconds since the epoch
 * in the high bits, so on one instance a larger id is a later status.
 */

/** Orders two status ids of the same instance (negative: `a` is older). */
export function compareStatusIds(a: string, b: string): number {
  if (a.length !== b.length) return a.length - b.length;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The smallest status id an instance gives at `ms` (epoch ms): a `min_id` meaning "since then". */
export function statusIdAt(ms: number): string {
  return (BigInt(Math.max(0, Math.floor(ms))) << 16n).toString();
}
