import { z } from 'zod';
import { ListenAddressSchema } from './listen-address.ts';

export const MetricsOptionsSchema = z.strictObject({
  /**
   * Where a process without the web role serves `/metrics`, `/healthz` and `/readyz` for
   * Prometheus and container healthchecks. Unset = not served (the web role serves its own).
   */
  address: ListenAddressSchema.optional(),
  /** Event-loop lag sampling period, in ms. */
  eventLoopPrecisionMs: z.number().int().min(1).max(1_000).default(20),
});

export type MetricsOptions = z.output<typeof MetricsOptionsSchema>;
