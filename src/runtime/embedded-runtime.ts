import type { Logger } from 'pino';
import type { Producer, Stage } from '../bus/index.ts';
import type { Config } from '../config/index.ts';
import { IngestStage } from '../ingest/index.ts';
import { LiveFeedOptionsSchema, LiveFeedStage } from '../live/index.ts';
import { moduleLogger } from '../log/index.ts';
import { observeQueueDepth } from '../metrics/index.ts';
import { EmbeddedPipeline } from '../pipeline/index.ts';
import { openStore, SinkStage, type Store } from '../store/index.ts';
import { NotifyStage, resolveOutboxDir } from '../alerts/index.ts';
import { ClickHouseReadModel, WebServer } from '../web/index.ts';
import { createAnalyzeStage, type AnalyzeStage } from './analyze-factory.ts';

export interface EmbeddedRuntimeSettings {
  /** Keep a live feed of minutes and flags for a terminal or web view. */
  live?: boolean;
  /** Serve the web UI and read API (implies `live`) at `config.web.address`. */
  web?: boolean;
  /** Continue from the analyze checkpoints in the store (a service restart), instead of a fresh stream (a replay). */
  restoreState?: boolean;
}

/**
 * Every stage in one process: ingest → analyze → (live view) → notify → sink, over bounded
 * in-process queues, with the embedded (or configured) ClickHouse behind the sink.
 *
 * Shutdown order: the caller stops intake (its collectors) → `finish()` at the end of a finite
 * input → `close()`: drain, flush, close stages (sink last), close the store.
 */
export class EmbeddedRuntime implements AsyncDisposable {
  readonly pipeline: EmbeddedPipeline;
  readonly store: Store;
  readonly ingest: IngestStage;
  readonly analyze: AnalyzeStage;
  readonly live: LiveFeedStage | undefined;
  readonly notify: NotifyStage | undefined;
  readonly sink: SinkStage;
  readonly web: WebServer | undefined;
  /** Where the web UI listens (e.g. `http://127.0.0.1:8080`), when it runs. */
  readonly webUrl: string | undefined;
  readonly #log: Logger;
  readonly #stopDepth: () => void;
  #closing: Promise<void> | undefined;

  private constructor(parts: {
    pipeline: EmbeddedPipeline;
    store: Store;
    ingest: IngestStage;
    analyze: AnalyzeStage;
    live: LiveFeedStage | undefined;
    notify: NotifyStage | undefined;
    sink: SinkStage;
    web: WebServer | undefined;
    webUrl: string | undefined;
    stopDepth: () => void;
    log: Logger;
  }) {
    this.pipeline = parts.pipeline;
    this.store = parts.store;
    this.ingest = parts.ingest;
    this.analyze = parts.analyze;
    this.live = parts.live;
    this.notify = parts.notify;
    this.sink = parts.sink;
    this.web = parts.web;
    this.webUrl = parts.webUrl;
    this.#stopDepth = parts.stopDepth;
    this.#log = parts.log;
  }

  static async start(config: Config, root: Logger, settings: EmbeddedRuntimeSettings = {}): Promise<EmbeddedRuntime> {
    const log = moduleLogger(root, 'runtime');
    const store = await openStore(config.store, moduleLogger(root, 'store'));
    const opened: Stage[] = [];
    try {
      const pipeline = new EmbeddedPipeline(config.pipeline, moduleLogger(root, 'pipeline'));
      const ingest = new IngestStage(config.ingest, moduleLogger(root, 'ingest'));
      opened.push(ingest);
      const analyze = await createAnalyzeStage(config, settings.restoreState === true ? store : undefined, moduleLogger(root, 'analyze'));
      opened.push(analyze);
      const live = settings.live === true || settings.web === true ? new LiveFeedStage(LiveFeedOptionsSchema.parse({})) : undefined;
      if (live !== undefined) opened.push(live);
      const notify =
        config.alerts.subscribers.length > 0
          ? await NotifyStage.open({
              alerts: config.alerts,
              outboxDir: resolveOutboxDir(config.alerts, config.store.path),
              log: moduleLogger(root, 'notify'),
              output: pipeline,
            })
          : undefined;
      if (notify !== undefined) opened.push(notify);
      const sink = new SinkStage(store, moduleLogger(root, 'sink'));
      for (const stage of [...opened, sink]) pipeline.add(stage);
      pipeline.start();
      const stopDepth = observeQueueDepth(() => pipeline.depth());
      let web: WebServer | undefined;
      let webUrl: string | undefined;
      if (settings.web === true) {
        web = new WebServer({ options: config.web, model: new ClickHouseReadModel(store), live, log: moduleLogger(root, 'web') });
        try {
          webUrl = await web.listen();
        } catch (err) {
          await web.close();
          await pipeline.close();
          stopDepth();
          throw err;
        }
      }
      log.info({ store: config.store.url === undefined ? config.store.path : 'server', stages: [...opened, sink].map((s) => s.name), web: webUrl }, 'embedded pipeline started');
      return new EmbeddedRuntime({ pipeline, store, ingest, analyze, live, notify, sink, web, webUrl, stopDepth, log });
    } catch (err) {
      for (const stage of opened.reverse()) await stage.close().catch((closeErr: unknown) => log.error({ err: closeErr }, 'closing after a failed start'));
      await store.close();
      throw err;
    }
  }

  /** Where collectors send their records. */
  get producer(): Producer {
    return this.pipeline;
  }

  /** End of a finite input (a replay): drain and close every open window. */
  async finish(): Promise<void> {
    await this.pipeline.flush(true);
  }

  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  async #close(): Promise<void> {
    try {
      // The web server reads the store: it goes before the pipeline and the store close.
      await this.web?.close();
      await this.pipeline.close();
    } finally {
      this.#stopDepth();
      await this.store.close();
      this.#log.info('embedded pipeline closed');
    }
  }
}
