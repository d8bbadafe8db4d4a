import type { Logger } from 'pino';
import { NotifyStage, resolveOutboxDir } from '../alerts/index.ts';
import { KafkaPipeline } from '../bus/kafka/index.ts';
import type { Producer, Stage } from '../bus/index.ts';
import type { Config } from '../config/index.ts';
import { IngestStage } from '../ingest/index.ts';
import { moduleLogger } from '../log/index.ts';
import { defaultStreamWriters, KAFKA_SINK_WRITERS, openStore, SinkStage, type Store } from '../store/index.ts';
import { ClickHouseReadModel, WebServer } from '../web/index.ts';
import { createAnalyzeStage } from './analyze-factory.ts';
import { Roles, type Role } from './roles.ts';

/**
 * Some or all roles of the distributed pipeline in this process, each stage a consumer group on
 * the Kafka topics. The store is opened only by a process with the sink or web role (in
 * production a ClickHouse server; on one machine the sink process owns the embedded store and
 * also serves the UI: `--role sink,web`).
 *
 * Shutdown order: stop intake (collectors, by the caller) → `close()`: stop the web server →
 * the Kafka pipeline (stop consuming, finish and commit the batch in hand, leave the groups,
 * disconnect) → close the store.
 */
export class KafkaRuntime implements AsyncDisposable {
  readonly pipeline: KafkaPipeline;
  readonly ingest: IngestStage | undefined;
  readonly store: Store | undefined;
  readonly web: WebServer | undefined;
  readonly webUrl: string | undefined;
  readonly #log: Logger;
  #closing: Promise<void> | undefined;

  private constructor(parts: { pipeline: KafkaPipeline; ingest: IngestStage | undefined; store: Store | undefined; web: WebServer | undefined; webUrl: string | undefined; log: Logger }) {
    this.pipeline = parts.pipeline;
    this.ingest = parts.ingest;
    this.store = parts.store;
    this.web = parts.web;
    this.webUrl = parts.webUrl;
    this.#log = parts.log;
  }

  static async start(config: Config, root: Logger, roles: ReadonlySet<Role>): Promise<KafkaRuntime> {
    const log = moduleLogger(root, 'runtime');
    const pipeline = new KafkaPipeline(config.kafka, moduleLogger(root, 'kafka'));
    const stages: Stage[] = [];
    let store: Store | undefined;
    let web: WebServer | undefined;
    try {
      if (roles.has(Roles.sink) || roles.has(Roles.web)) store = await openStore(config.store, moduleLogger(root, 'store'));
      let ingest: IngestStage | undefined;
      if (roles.has(Roles.ingest)) {
        ingest = new IngestStage(config.ingest, moduleLogger(root, 'ingest'));
        stages.push(ingest);
      }
      // In Kafka mode analyze state comes back from the compacted `analyze-state` topic, per partition.
      if (roles.has(Roles.analyze)) stages.push(await createAnalyzeStage(config, undefined, moduleLogger(root, 'analyze'), 'source'));
      if (roles.has(Roles.notify)) {
        stages.push(
          await NotifyStage.open({
            alerts: config.alerts,
            outboxDir: resolveOutboxDir(config.alerts, config.store.path),
            log: moduleLogger(root, 'notify'),
            output: pipeline,
          }),
        );
      }
      if (roles.has(Roles.sink) && store !== undefined) stages.push(new SinkStage(store, moduleLogger(root, 'sink'), { writers: defaultStreamWriters(store.options, KAFKA_SINK_WRITERS) }));
      for (const stage of stages) pipeline.add(stage);
      await pipeline.start();
      let webUrl: string | undefined;
      if (roles.has(Roles.web) && store !== undefined) {
        // Several web processes may run: each polls the store rather than splitting a consumer group.
        web = new WebServer({ options: config.web, model: new ClickHouseReadModel(store), log: moduleLogger(root, 'web') });
        webUrl = await web.listen();
      }
      log.info({ roles: [...roles], stages: stages.map((s) => s.name), web: webUrl }, 'Kafka roles started');
      return new KafkaRuntime({ pipeline, ingest, store, web, webUrl, log });
    } catch (err) {
      await web?.close();
      await pipeline.close().catch((closeErr: unknown) => log.error({ err: closeErr }, 'closing Kafka after a failed start'));
      for (const stage of stages) await stage.close().catch((closeErr: unknown) => log.error({ err: closeErr }, 'closing a stage after a failed start'));
      await store?.close();
      throw err;
    }
  }

  /** Where this process's collectors send their records: the `tagwatch.posts` topic. */
  get producer(): Producer {
    return this.pipeline;
  }

  /** Every finite source of this process ended: an end-of-input watermark on every partition. */
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
      await this.web?.close();
      await this.pipeline.close();
    } finally {
      await this.store?.close();
      this.#log.info('Kafka roles stopped');
    }
  }
}
