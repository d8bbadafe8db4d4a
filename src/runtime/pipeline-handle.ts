import type { Logger } from 'pino';
import type { Producer } from '../bus/index.ts';
import type { Config } from '../config/index.ts';
import type { LiveFeedStage } from '../live/index.ts';
import { KafkaPipeline } from '../bus/kafka/index.ts';
import { moduleLogger } from '../log/index.ts';
import { EmbeddedRuntime } from './embedded-runtime.ts';

/** Figures a command reports at the end of a run; undefined where the stage runs in another process. */
export interface PipelineFigures {
  accepted: number;
  duplicates: number;
  invalid: number;
}

/**
 * What a collector-driving command (replay, demo, run) needs from the pipeline, whichever
 * transport carries it: in-process stages, or Kafka topics with the stages in other processes.
 */
export interface PipelineHandle {
  readonly producer: Producer;
  readonly live: LiveFeedStage | undefined;
  /** The web UI's address, when this process serves it. */
  readonly webUrl: string | undefined;
  /** End of a finite input: everything downstream closes its windows. */
  finish(): Promise<void>;
  /** Undefined when ingest runs in other processes (Kafka mode). */
  figures(): PipelineFigures | undefined;
  close(): Promise<void>;
}

export interface OpenPipelineSettings {
  live?: boolean;
  web?: boolean;
}

/**
 * The embedded runtime (every stage here) by default. With `KAFKA_BROKERS` this process is only
 * a collector: records go to `tagwatch.posts`, and the stages run in `tagwatch run --role …`
 * workers.
 */
export async function openPipeline(config: Config, log: Logger, settings: OpenPipelineSettings): Promise<PipelineHandle> {
  if (config.kafka.brokers.length > 0) {
    const kafka = new KafkaPipeline(config.kafka, moduleLogger(log, 'kafka'));
    await kafka.start();
    return {
      producer: kafka,
      live: undefined,
      webUrl: undefined,
      finish: () => kafka.flush(true),
      figures: () => undefined,
      close: () => kafka.close(),
    };
  }
  const runtime = await EmbeddedRuntime.start(config, log, settings);
  return {
    producer: runtime.producer,
    live: runtime.live,
    webUrl: runtime.webUrl,
    finish: () => runtime.finish(),
    figures: () => {
      const s = runtime.ingest.stats();
      return { accepted: s.accepted, duplicates: s.duplicates, invalid: s.invalid };
    },
    close: () => runtime.close(),
  };
}
