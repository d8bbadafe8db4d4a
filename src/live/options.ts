import { z } from 'zod';

export const LiveFeedOptionsSchema = z.object({
  /** Tags whose latest minute is kept for the live views, in tags (least recently updated dropped first). */
  maxTags: z.number().int().min(1).default(5_000),
  /** Most recent flags kept, in flags. */
  maxFlags: z.number().int().min(1).default(500),
  /** A tag counts as trending while its latest minute is at most this old, in event-time ms. */
  trendingHorizonMs: z.number().int().min(60_000).default(15 * 60_000),
});

export type LiveFeedOptions = z.output<typeof LiveFeedOptionsSchema>;
