export interface IngestStats {
  received: number;
  accepted: number;
  duplicates: number;
  invalid: number;
  /** (post, tag) pairs sent to analyze. */
  tagEvents: number;
  /** Accepted posts without any hashtag (stored, not analyzed). */
  untagged: number;
}
