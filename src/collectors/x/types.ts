/** The part of `fetch` the rules client uses (injectable for tests). */
export type XFetch = (url: string, init: RequestInit) => Promise<Response>;

/** What synchronizing the stream rules changed. */
export interface RulesSyncResult {
  kept: number;
  added: number;
  deleted: number;
}
