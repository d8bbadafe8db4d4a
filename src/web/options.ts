import { z } from 'zod';
import { ListenAddressSchema } from '../metrics/index.ts';

export const WebOptionsSchema = z.strictObject({
  /** Where the UI and API listen. Loopback by default: exposing it is a deliberate choice. */
  address: ListenAddressSchema.default('127.0.0.1:8080'),
  /** When set, every API and WebSocket request must carry `Authorization: Bearer <token>`. */
  token: z.string().min(16, 'at least 16 characters').optional(),
  /** Origins allowed to call the API from other sites. Empty = CORS off (same origin only). */
  corsOrigins: z.array(z.url()).default([]),
  /** Without an in-process live feed (the `web` role on a ClickHouse server), poll the store this often, in ms. */
  pollIntervalMs: z.number().int().min(100).default(2_000),
  /** Longest range one series request may cover, in hours. */
  maxRangeHours: z.number().int().min(1).default(24 * 31),
  /** Largest page of flags or tags returned at once, in rows. */
  maxPageSize: z.number().int().min(1).max(10_000).default(500),
  /** Sample posts returned with a flag's evidence, in rows. */
  samplePosts: z.number().int().min(1).max(500).default(20),
  /** Coalesce closed-minute notifications to WebSocket clients to at most one per this many ms. */
  liveCoalesceMs: z.number().int().min(0).default(500),
});

export type WebOptions = z.output<typeof WebOptionsSchema>;
