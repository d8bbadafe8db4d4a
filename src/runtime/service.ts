import type { Logger } from 'pino';
import { collectorOutput } from '../collectors/collector-output.ts';
import { createCollectors } from '../collectors/create-collector.ts';
import type { Collector } from '../collectors/types.ts';
import type { Config } from '../config/index.ts';
import { ConfigError, ErrorCodes } from '../errors/index.ts';
import { moduleLogger } from '../log/index.ts';
import { EmbeddedRuntime } from './embedded-runtime.ts';
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
    const out = collectorOutput(this.#runtime.producer);
    const runs = this.#collectors.map((c) =>
      c.run(out, signal).catch((err: unknown) => {
        this.#log.error({ err, source: c.name }, 'source stopped with an error');
        throw err;
      }),
    );
    const results = await Promise.allSettled(runs);
    if (!signal.aborted && this.#collectors.length === 0) {
      await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
    }
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed !== undefined && !signal.aborted) throw failed.reason;
    if (!signal.aborted) await this.#runtime.finish();
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
