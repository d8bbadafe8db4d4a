import { ProfileEnrichmentOptionsSchema, type ProfileEnrichmentOptions } from '../../../../src/collectors/jetstream/options.ts';

/** Enrichment options as configured, enabled, with no fill wait (tests add what they check). */
export function enrichmentOptionsForTest(): ProfileEnrichmentOptions {
  return ProfileEnrichmentOptionsSchema.parse({ enabled: true, url: 'https://appview.test', batchWaitMs: 0 });
}
