import { z } from 'zod';

export const EvalOptionsSchema = z.object({
  /** A flag counts for a campaign when it fires between its start and this long after its end, in ms. */
  matchAfterEndMs: z.number().int().min(0).default(30 * 60_000),
});

/** Floors for CI: any one not met fails the run (exit code 3). */
export const EvalThresholdsSchema = z.object({
  minRecall: z.number().min(0).max(1).optional(),
  minPrecision: z.number().min(0).max(1).optional(),
  minF1: z.number().min(0).max(1).optional(),
  maxLatencySec: z.number().min(0).optional(),
  maxHardFp: z.number().int().min(0).optional(),
});

export type EvalOptions = z.output<typeof EvalOptionsSchema>;
export type EvalThresholds = z.output<typeof EvalThresholdsSchema>;
