import type { Logger } from 'pino';
import { collectorOutput } from '../collectors/collector-output.ts';
import { createCollectors } from '../collectors/create-collector.ts';
import type { Collector } from '../collectors/types.ts';
import type { Config } from '../config/index.ts';
import { ConfigError, ErrorCodes } from '../errors/index.ts';
import { moduleLogger } from '../log/index.ts';
import { EmbeddedRuntime } from './embedded-runtime.ts';
import { KafkaRuntime } from './kafka-runtime.ts';
import { parseRoles, Roles, type Role } from './roles.ts';

/** A running `tagwatch run` process. */
export interface Service {
  /** Runs until `signal` aborts (SIGINT/SIGTERM) or every finite source ends. */
  run(signal: AbortSignal): Promise<void>;
  close(): Promise<void>;
}

/**
 * Starts the roles asked for. Without Kafka every role runs here (`all`), over in-process
 * queues; the distributed roles need `KAFKA_BROKERS`.
 */
export async function startService(config: Config, log: Logger, roleText: string): Promise<Service> {
  const roles = parseRoles(roleText);
  if (config.kafka.brokers.length > 0) return KafkaService.start(config, log, roles);
  const everything = roles.size >= 6;
  if (!everything) {
    throw new ConfigError(
      ErrorCodes.USAGE,
      `--role ${roleText} runs part of the pipeline and needs Kafka between the parts: set KAFKA_BROKERS (or run --role all)`,
      { input: roleText },
    );
  }
  return EmbeddedService.start(config, log, roles);
}

/** Runs collectors until the signal (or until every finite source ended); logs and rethrows a source's failure. */
async function runCollectors(collectors: readonly Collector[], out: ReturnType<typeof collectorOutput>, signal: AbortSignal, log: Logger): Promise<boolean> {
  const results = await Promise.allSettled(
    collectors.map((c) =>
      c.run(out, signal).catch((err: unknown) => {
        log.error({ err, source: c.name }, 'source stopped with an error');
        throw err;
      }),
    ),
  );
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed !== undefined && !signal.aborted) throw failed.reason;
  return collectors.length > 0 && !signal.aborted;
}

function untilAborted(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
}

class EmbeddedService implements Service {
  readonly #runtime: EmbeddedRuntime;
  readonly #collectors: Collector[];
  readonly #log: Logger;
  #closing: Promise<void> | undefined;

  private constructor(runtime: EmbeddedRuntime, collectors: Collector[], log: Logger) {
    this.#runtime = runtime;
    this.#collectors = collectors;
    this.#log = log;
  }

  static async start(config: Config, root: Logger, roles: ReadonlySet<Role>): Promise<EmbeddedService> {
    const log = moduleLogger(root, 'service');
    // Sources are built first: a missing token fails here, before the store is opened.
    const collectors = await createCollectors(config.sources, { log: moduleLogger(root, 'collect') });
    const runtime = await EmbeddedRuntime.start(config, root, { web: roles.has(Roles.web), restoreState: true });
    return new EmbeddedService(runtime, collectors, log);
  }

  async run(signal: AbortSignal): Promise<void> {
    if (this.#collectors.length === 0) this.#log.warn('no sources configured: waiting for SIGINT/SIGTERM (add `sources` to the config file)');
    const ended = await runCollectors(this.#collectors, collectorOutput(this.#runtime.producer), signal, this.#log);
    // Finite sources (replay files) ended: close their windows; the UI and alerts keep serving until a signal.
    if (ended) await this.#runtime.finish();
    await untilAborted(signal);
  }

  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  async #close(): Promise<void> {
    // Stop intake first, then drain, flush and close the pipeline and the store.
    for (const collector of this.#collectors) await collector.close();
    await this.#runtime.close();
  }
}

class KafkaService implements Service {
  readonly #runtime: KafkaRuntime;
  readonly #collectors: Collector[];
  readonly #log: Logger;
  #closing: Promise<void> | undefined;

  private constructor(runtime: KafkaRuntime, collectors: Collector[], log: Logger) {
    this.#runtime = runtime;
    this.#collectors = collectors;
    this.#log = log;
  }

  static async start(config: Config, root: Logger, roles: ReadonlySet<Role>): Promise<KafkaService> {
    const log = moduleLogger(root, 'service');
    const collectors = roles.has(Roles.collect) ? await createCollectors(config.sources, { log: moduleLogger(root, 'collect') }) : [];
    try {
      const runtime = await KafkaRuntime.start(config, root, roles);
      return new KafkaService(runtime, collectors, log);
    } catch (err) {
      for (const collector of collectors) await collector.close();
      throw err;
    }
  }

  async run(signal: AbortSignal): Promise<void> {
    if (this.#collectors.length > 0) {
      const ended = await runCollectors(this.#collectors, collectorOutput(this.#runtime.pipeline), signal, this.#log);
      // End of every finite source: tell downstream workers (an end-of-input watermark on every partition).
      if (ended) await this.#runtime.pipeline.flush(true);
    }
    await untilAborted(signal);
  }

  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  async #close(): Promise<void> {
    for (const collector of this.#collectors) await collector.close();
    await this.#runtime.close();
  }
}
