import type { Flag, TagMinute } from '../model/index.ts';

export const TrendRankings = {
  velocity: 'velocity',
  zscore: 'zscore',
  authors: 'authors',
  coordination: 'coordination',
} as const;

export type TrendRanking = (typeof TrendRankings)[keyof typeof TrendRankings];

/** A tag as the live views show it. */
export interface TrendingTag {
  tag: string;
  latest: TagMinute;
  /** Posts per minute over the recent minutes seen, oldest first (for sparklines). */
  recent: number[];
  /** Open flags on this tag (latest revision of each), newest first. */
  flags: Flag[];
  /** Highest score among open `coordinated` flags, 0 when none. */
  coordinationScore: number;
}

export interface LiveFeedEvents {
  minute: [TagMinute];
  flag: [Flag];
}
