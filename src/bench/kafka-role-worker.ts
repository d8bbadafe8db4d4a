import { createWriteStream, type WriteStream } from 'node:fs';
import { Streams, type BusRecord } from '../bus/index.ts';
import { KafkaPipeline } from '../bus/kafka/index.ts';
import { loadConfig } from '../config/index.ts';
import { IngestStage } from '../ingest/index.ts';
import { createLogger, moduleLogger } from '../log/index.ts';
import type { Flag, TagMinute } from '../model/index.ts';
import { createAnalyzeStage } from '../runtime/analyze-factory.ts';
import { defaultStreamWriters, KAFKA_SINK_WRITERS, openStore, SinkStage, type StreamWriter, type Store } from '../store/index.ts';

interface RoleInput {
  configFile: string;
  roles: string[];
  /** Sink only: append one JSON line per metrics/flags row written, with the wall time of the write. */
  visibilityFile?: string;
}

/** A line of the visibility log: when a row became readable in ClickHouse (its insert returned). */
export type VisibilityRecord =
  | { t: 'm'; tag: string; minute: number; rev: number; at: number }
  | { t: 'f'; id: string; tag: string; kind: string; detectedAt: number; rev: number; at: number };

/** Wraps the metrics and flags writers so every row they write is logged with the time its insert returned. */
function recordingWriters(writers: StreamWriter[], log: WriteStream): StreamWriter[] {
  return writers.map((writer) => {
    if (writer.stream !== Streams.metrics && writer.stream !== Streams.flags) return writer;
    const recording: StreamWriter = {
      stream: writer.stream,
      tables: writer.tables,
      write: async (records, ctx) => {
        const outcome = await writer.write(records, ctx);
        const at = Date.now();
        const refused = new Set(outcome.rejected.map((r) => r.index));
        let text = '';
        records.forEach((record: BusRecord, i) => {
          if (refused.has(i)) return;
          let line: VisibilityRecord;
          if (writer.stream === Streams.metrics) {
            const m = record.value as TagMinute;
            line = { t: 'm', tag: m.tag, minute: m.minute, rev: m.revision, at };
          } else {
            const f = record.value as Flag;
            line = { t: 'f', id: f.flagId, tag: f.tag, kind: f.kind, detectedAt: f.detectedAt, rev: f.revision, at };
          }
          text += `${JSON.stringify(line)}\n`;
        });
        log.write(text);
        return outcome;
      },
    };
    if (writer.writeGroup !== undefined) Object.assign(recording, { writeGroup: writer.writeGroup });
    if (writer.open !== undefined) recording.open = (ctx) => (writer.open as NonNullable<StreamWriter['open']>)(ctx);
    return recording;
  });
}

/**
 * Child task: a Kafka worker with the given roles (ingest, analyze, sink), built as the Kafka
 * engineer's role worker builds them (KafkaPipeline + the runtime's stages). Runs until SIGTERM,
 * then shuts down gracefully (commit, leave the group, close the store) and reports its figures.
 */
export async function kafkaRoleTask(input: unknown): Promise<unknown> {
  const { configFile, roles, visibilityFile } = input as RoleInput;
  const config = await loadConfig({ file: configFile });
  const log = createLogger({ level: config.log.level });
  const pipeline = new KafkaPipeline(config.kafka, moduleLogger(log, 'kafka'));
  let store: Store | undefined;
  let visibility: WriteStream | undefined;
  if (roles.includes('ingest')) pipeline.add(new IngestStage(config.ingest, moduleLogger(log, 'ingest')));
  if (roles.includes('analyze')) pipeline.add(await createAnalyzeStage(config, undefined, moduleLogger(log, 'analyze')));
  if (roles.includes('sink')) {
    store = await openStore(config.store, moduleLogger(log, 'store'));
    let writers = defaultStreamWriters(store.options, KAFKA_SINK_WRITERS);
    if (visibilityFile !== undefined) {
      visibility = createWriteStream(visibilityFile, { flags: 'a' });
      writers = recordingWriters(writers, visibility);
    }
    pipeline.add(new SinkStage(store, moduleLogger(log, 'sink'), { writers }));
  }
  await pipeline.start();
  await new Promise<void>((resolve) => {
    process.once('SIGTERM', () => resolve());
    process.once('SIGINT', () => resolve());
  });
  try {
    await pipeline.close();
  } finally {
    await store?.close();
    if (visibility !== undefined) await new Promise<void>((resolve) => (visibility as WriteStream).end(() => resolve()));
  }
  return { roles, figures: pipeline.figures() };
}
