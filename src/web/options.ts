import { z } from 'zod';

/** `host:port`, `[v6]:port` or `:port` (all interfaces). Port 0 picks a free port (tests). */
const LISTEN_ADDRESS = /^(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]*):\d{1,5}$/;

export const WebOptionsSchema = z.strictObject({
  /** Where the UI and API listen. Loopback by default: exposing it is a deliberate choice. */
  address: z
    .string()
    .regex(LISTEN_ADDRESS, 'host:port, [ipv6]:port or :port')
    .refine((a) => Number(a.slice(a.lastIndexOf(':') + 1)) <= 65_535, 'port must be 0..65535')
    .default('127.0.0.1:8080'),
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

/** Splits a validated listen address into what `listen()` takes. */
export function parseListenAddress(address: string): { host: string; port: number } {
  const colon = address.lastIndexOf(':');
  let host = address.slice(0, colon);
  if (host.startsWith('[') && host.endsWith(']')) host = host.slice(1, -1);
  return { host: host === '' ? '0.0.0.0' : host, port: Number(address.slice(colon + 1)) };
}
