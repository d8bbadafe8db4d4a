import { z } from 'zod';

export const IngestOptionsSchema = z.object({
  /** How many recent post keys are remembered to drop duplicates (at-least-once sources repeat posts), in posts. */
  dedupeCapacity: z.number().int().min(0).default(500_000),
});

export type IngestOptions = z.output<typeof IngestOptionsSchema>;
