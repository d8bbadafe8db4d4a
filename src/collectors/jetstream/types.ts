/** Author fields known from identity events or profile enrichment. */
export interface AuthorFields {
  handle?: string;
  followers?: number;
  /** ISO 8601. */
  createdAt?: string;
}

/** The parts of a commit event the mappers need. */
export interface CommitRef {
  did: string;
  time_us: number;
  commit: { collection: string; rkey: string };
}

/** The part of `fetch` the profile enricher uses (injectable for tests). */
export type FetchLike = (url: string, init: { signal: AbortSignal; headers: Record<string, string> }) => Promise<Response>;

export interface ProfileEnricherStats {
  cached: number;
  pending: number;
  calls: number;
  failedCalls: number;
  /** Authors not looked up because the queue was full or the API unreachable. */
  skipped: number;
  offline: boolean;
}
