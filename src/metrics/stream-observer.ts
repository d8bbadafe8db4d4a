import { Streams, type BusRecord, type StreamName } from '../bus/index.ts';
import type { DeadLetter, Flag, WebhookDelivery } from '../model/index.ts';
import { deadLetters, flagsFired, sinkRows, stageBatchSeconds, stageErrors, stageRecords, webhookDeliveries, webhookLatencySeconds } from './tagwatch-metrics.ts';

// Flag kinds and delivery outcomes come from our own code, but a label value is still capped to
// a known set so a bug can never turn a free-form string into thousands of series.
const KNOWN_KINDS = new Set(['burst', 'coordinated', 'spam']);
const KNOWN_OUTCOMES = new Set(['delivered', 'retry', 'dead']);
const SOURCE_LABEL = /^[a-z][a-z0-9_-]{0,31}$/;

/**
 * What both transports report about the records they move: one call per processed batch and
 * one per sent batch. Outcomes are read off the records themselves (flags by kind, webhook
 * attempts by outcome, dead letters by source), so no stage needs metrics code of its own.
 */
export const streamObserver = {
  batchProcessed(stage: string, stream: StreamName, records: number, seconds: number): void {
    stageRecords.inc({ stage, stream }, records);
    stageBatchSeconds.observe({ stage }, seconds);
  },

  batchFailed(stage: string, retriable: boolean): void {
    stageErrors.inc({ stage, retriable: String(retriable) });
  },

  sent(stream: StreamName, records: ReadonlyArray<BusRecord>): void {
    switch (stream) {
      case Streams.flags:
        for (const r of records) {
          const flag = r.value as Flag;
          flagsFired.inc({ kind: KNOWN_KINDS.has(flag.kind) ? flag.kind : 'other', update: String(flag.revision > 0) });
        }
        return;
      case Streams.deliveries:
        for (const r of records) {
          const attempt = r.value as WebhookDelivery;
          const outcome = KNOWN_OUTCOMES.has(attempt.status) ? attempt.status : 'other';
          webhookDeliveries.inc({ outcome });
          if (attempt.httpStatus > 0) webhookLatencySeconds.observe({ outcome }, attempt.latencyMs / 1000);
        }
        return;
      case Streams.deadLetters:
        for (const r of records) {
          const source = (r.value as DeadLetter).source;
          deadLetters.inc({ source: SOURCE_LABEL.test(source) ? source : 'other' });
        }
        return;
      default:
        return;
    }
  },

  rowsWritten(table: string, rows: number): void {
    sinkRows.inc({ table }, rows);
  },
};
