import { z } from 'zod';
import { Secret } from './secret.ts';

/** A source's name: in logs, stats and dead letters. */
export const SourceNameSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, 'letters, digits, `_`, `.` or `-`, at most 64 characters');

/** A credential: kept as a `Secret` so that logging the configuration never prints it. */
export const SecretSchema = z.string().min(1, 'must not be empty').transform((value) => new Secret(value));

/** The name of an environment variable holding a credential (so config files need not hold tokens). */
export const EnvVarNameSchema = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'an environment variable name');

export const ExponentialBackoffOptionsSchema = z.strictObject({
  /** First reconnect delay, in ms. */
  initialMs: z.number().int().min(1).default(250),
  /** Longest reconnect delay, in ms. */
  maxMs: z.number().int().min(1).default(30_000),
});

/** Fields every live source has. */
export const LiveSourceOptionsShape = {
  /** Defaults to the source's type; must be unique among sources. */
  name: SourceNameSchema.optional(),
  /** Frames handed to the pipeline per call. */
  maxBatchFrames: z.number().int().min(1).max(100_000).default(500),
  /** Frames held in memory before the socket is paused. */
  maxBufferedFrames: z.number().int().min(1).max(1_000_000).default(2_000),
  /** Frames larger than this are dead-lettered (the stream continues), in bytes. */
  maxFrameBytes: z.number().int().min(1_024).max(64 * 1024 * 1024).default(1024 * 1024),
  /** Recently handed-on ids remembered to drop redelivered duplicates, in entries. */
  dedupeCapacity: z.number().int().min(1).max(10_000_000).default(100_000),
  /** How often the source's figures are logged, in ms (0 = never). */
  statsIntervalMs: z.number().int().min(0).default(60_000),
  /** Longest wait for a connection to open, in ms. */
  connectTimeoutMs: z.number().int().min(100).default(15_000),
} as const;
