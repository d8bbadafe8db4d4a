import type { Logger } from 'pino';
import type { Producer } from '../bus/index.ts';
import type { Config } from '../config/index.ts';
import type { LiveFeedStage } from '../live/index.ts';
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
  figures(): PipelineFigures;
  close(): Promise<void>;
}

export interface OpenPipelineSettings {
  live?: boolean;
  web?: boolean;
}

/** The embedded runtime (every stage here) by default; see `KAFKA_BROKERS` for the distributed mode. */
export async function openPipeline(config: Config, log: Logger, settings: OpenPipelineSettings): Promise<PipelineHandle & { runtime?: EmbeddedRuntime }> {
  const runtime = await EmbeddedRuntime.start(config, log, settings);
  return {
    runtime,
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
