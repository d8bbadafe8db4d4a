import { z } from 'zod';
import { PipelineOptionsSchema } from '../pipeline/options.ts';
import { StoreOptionsSchema } from '../store/options.ts';

export const LogOptionsSchema = z.object({
  level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

/**
 * The whole configuration, validated once at start. Each component owns its section's schema
 * (in its `options.ts`); this file only composes them.
 */
export const ConfigSchema = z.object({
  log: LogOptionsSchema.default(LogOptionsSchema.parse({})),
  store: StoreOptionsSchema.default(StoreOptionsSchema.parse({})),
  pipeline: PipelineOptionsSchema.default(PipelineOptionsSchema.parse({})),
});

export type Config = z.output<typeof ConfigSchema>;
/** What a config file may contain: every section and key optional. */
export type ConfigInput = z.input<typeof ConfigSchema>;
