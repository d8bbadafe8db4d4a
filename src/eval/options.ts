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

/** The detection targets: what `eval --simulate` counts per seed when no floor flag overrides one. */
export const DetectionTargets = {
  minRecall: 0.95,
  minPrecision: 0.9,
  minF1: 0.85,
  maxLatencySec: 120,
  maxHardFp: 0,
} as const satisfies EvalThresholds;

/** At most this many seeds in one `eval --simulate` run (each one is a full simulation). */
export const MAX_SIMULATED_SEEDS = 1000;

/** `eval --simulate`: which seeds, and how long each simulation runs. */
export const SimulatedEvalOptionsSchema = z.object({
  seeds: z.array(z.number().int().min(0).max(Number.MAX_SAFE_INTEGER)).min(1).max(MAX_SIMULATED_SEEDS),
  /** Simulated span per seed, in hours (the simulator's default scenario: 2). */
  hours: z.number().positive().max(24 * 60).default(2),
});

export type SimulatedEvalOptions = z.output<typeof SimulatedEvalOptionsSchema>;
