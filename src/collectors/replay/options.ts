import { z } from 'zod';

export const ReplaySpeedSchema = z.union([z.literal('max'), z.number().positive().max(1_000_000)]);

export const ReplayOptionsSchema = z.object({
  /** A JSONL file of wire-format posts; `.gz` is decompressed. */
  file: z.string().min(1),
  /** Event-time speed-up: 60 plays an hour in a minute; `max` as fast as the pipeline takes it. */
  speed: ReplaySpeedSchema.default('max'),
  /** Posts handed to the pipeline per call, in posts. */
  batchSize: z.number().int().min(1).default(1_000),
  /** Longest accepted line, in bytes; longer lines are dead-lettered. */
  maxLineBytes: z.number().int().min(1_024).default(1_048_576),
});

export type ReplayOptions = z.output<typeof ReplayOptionsSchema>;
export type ReplaySpeed = z.output<typeof ReplaySpeedSchema>;

/** Parses a `--speed` flag: a positive number or `max`. */
export function parseReplaySpeed(text: string): ReplaySpeed {
  if (text === 'max') return 'max';
  return ReplaySpeedSchema.parse(Number(text));
}
