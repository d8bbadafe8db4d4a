import { z } from 'zod';

export const PipelineOptionsSchema = z.object({
  /** Capacity of each in-process queue, in records. */
  queueCapacity: z.number().int().min(1).default(50_000),
  /** Largest batch handed to a stage at once, in records. */
  batchSize: z.number().int().min(1).default(2_000),
  /** First delay before retrying a batch that failed with a retriable error, in ms. */
  retryInitialMs: z.number().int().min(1).default(200),
  /** Longest delay between retries of a failed batch, in ms. */
  retryMaxMs: z.number().int().min(1).default(30_000),
});

export type PipelineOptions = z.output<typeof PipelineOptionsSchema>;
