import type { Logger } from 'pino';
import type { Producer } from '../bus/index.ts';
import { collectorOutput } from '../collectors/collector-output.ts';
import { createCollectors } from '../collectors/create-collector.ts';
import type { Collector } from '../collectors/types.ts';
import type { Config } from '../config/index.ts';
import { ConfigError, ErrorCodes } from '../errors/index.ts';
import { moduleLogger } from '../log/index.ts';
import { MetricsServer } from '../metrics/index.ts';
import { EmbeddedRuntime } from './embedded-runtime.ts';
import { KafkaRuntime } from './kafka-runtime.ts';
import { isEveryRole, parseRoles, Roles, type Role } from './roles.ts';

/** A running `tagwatch run` process. */
export interface Service {
  /** Runs until `signal` aborts (SIGINT/SIGTERM). */
  run(signal: AbortSignal): Promise<void>;
  close(): Promise<void>;
}

/** What the service needs of the pipeline behind it, embedded or on Kafka. */
interface ServiceRuntime {
  readonly producer: Producer;
  /** Every finite source ended: downstream closes its windows. */
  finish(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Starts the roles asked for. Without Kafka every role runs here (`all`), over in-process
 * queues; a subset of roles needs `KAFKA_BROKERS` to reach the others.
 */
export async function startService(config: Config, root: Logger, roleText: string): Promise<Service> {
  const roles = parseRoles(roleText);
  const kafka = config.kafka.brokers.length > 0;
  if (!kafka && !isEveryRole(roles)) {
    throw new ConfigError(
      ErrorCodes.USAGE,
      `--role ${roleText} runs part of the pipeline and needs Kafka between the parts: set KAFKA_BROKERS (or run --role all)`,
      { input: roleText },
    );
  }
  // Sources are built first: a missing token fails here, before the store or the brokers are touched.
  const collectors = roles.has(Roles.collect) ? await createCollectors(config.sources, { log: moduleLogger(root, 'collect'), stateDir: config.store.path }) : [];
  let runtime: ServiceRuntime | undefined;
  let ops: MetricsServer | undefined;
  try {
    runtime = kafka ? await KafkaRuntime.start(config, root, roles) : await EmbeddedRuntime.start(config, root, { web: roles.has(Roles.web), restoreState: true });
    // Roles without the web UI still answer Prometheus and container healthchecks here.
    const address = config.metrics.address;
    if (address !== undefined) {
      ops = new MetricsServer({ address, log: moduleLogger(root, 'metrics'), eventLoopPrecisionMs: config.metrics.eventLoopPrecisionMs });
      await ops.listen();
    }
    return new CollectingService(runtime, collectors, moduleLogger(root, 'service'), roles, ops);
  } catch (err) {
    await ops?.close();
    await runtime?.close();
    for (const collector of collectors) await collector.close();
    throw err;
  }
}

class CollectingService implements Service {
  readonly #runtime: ServiceRuntime;
  readonly #collectors: Collector[];
  readonly #log: Logger;
  readonly #roles: ReadonlySet<Role>;
  readonly #ops: MetricsServer | undefined;
  #closing: Promise<void> | undefined;

  constructor(runtime: ServiceRuntime, collectors: Collector[], log: Logger, roles: ReadonlySet<Role>, ops: MetricsServer | undefined) {
    this.#runtime = runtime;
    this.#collectors = collectors;
    this.#log = log;
    this.#roles = roles;
    this.#ops = ops;
  }

  async run(signal: AbortSignal): Promise<void> {
    if (this.#roles.has(Roles.collect) && this.#collectors.length === 0) {
      this.#log.warn('no sources configured: nothing to collect (add `sources` to the config file); waiting for SIGINT/SIGTERM');
    }
    if (this.#collectors.length > 0) {
      const out = collectorOutput(this.#runtime.producer);
      const results = await Promise.allSettled(
        this.#collectors.map((c) =>
          c.run(out, signal).catch((err: unknown) => {
            this.#log.error({ err, source: c.name }, 'source stopped with an error');
            throw err;
          }),
        ),
      );
      const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed !== undefined && !signal.aborted) throw failed.reason;
      // Finite sources (replay files) ended: close their windows; the UI and alerts keep serving until a signal.
      if (!signal.aborted) await this.#runtime.finish();
    }
    if (!signal.aborted) await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
  }

  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  async #close(): Promise<void> {
    // Stop intake first; the runtime then drains, flushes, commits and closes its clients.
    for (const collector of this.#collectors) await collector.close();
    try {
      await this.#runtime.close();
    } finally {
      // Last, so a scrape during shutdown still answers.
      await this.#ops?.close();
    }
  }
}
