import { z } from 'zod';
import { AlertsOptionsSchema } from '../alerts/options.ts';
import { SourcesOptionsSchema } from '../collectors/options.ts';
import { KafkaOptionsSchema } from '../bus/kafka/options.ts';
import { IngestOptionsSchema } from '../ingest/options.ts';
import { PipelineOptionsSchema } from '../pipeline/options.ts';
import { StoreOptionsSchema } from '../store/options.ts';
import { AnalyzeOptionsSchema } from '../stream/options.ts';
import { CoordinationOptionsSchema } from '../stream/coordination/options.ts';
import { MetricsOptionsSchema } from '../metrics/options.ts';
import { WebOptionsSchema } from '../web/options.ts';

export const LogOptionsSchema = z.strictObject({
  level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

/**
 * The whole configuration, validated once at start. Each component owns its section's schema
 * (in its `options.ts`); this file only composes them.
 */
export const ConfigSchema = z.strictObject({
  log: LogOptionsSchema.default(LogOptionsSchema.parse({})),
  store: StoreOptionsSchema.default(StoreOptionsSchema.parse({})),
  pipeline: PipelineOptionsSchema.default(PipelineOptionsSchema.parse({})),
  web: WebOptionsSchema.default(WebOptionsSchema.parse({})),
  metrics: MetricsOptionsSchema.default(MetricsOptionsSchema.parse({})),
  ingest: IngestOptionsSchema.default(IngestOptionsSchema.parse({})),
  kafka: KafkaOptionsSchema.default(KafkaOptionsSchema.parse({})),
  analyze: AnalyzeOptionsSchema.default(AnalyzeOptionsSchema.parse({})),
  coordination: CoordinationOptionsSchema.default(CoordinationOptionsSchema.parse({})),
  alerts: AlertsOptionsSchema.default(AlertsOptionsSchema.parse({})),
  sources: SourcesOptionsSchema.default([]),
});

export type Config = z.output<typeof ConfigSchema>;
/** What a config file may contain: every section and key optional. */
export type ConfigInput = z.input<typeof ConfigSchema>;
