import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import type { ConnectionOptions } from 'node:tls';
import kafkajs, { type KafkaConfig, type LogEntry, type SASLOptions } from 'kafkajs';
import type { Logger } from 'pino';
import { ConfigError, ErrorCodes } from '../../errors/index.ts';
import type { KafkaOptions } from './options.ts';

const { Kafka, logLevel } = kafkajs;

/**
 * kafkajs logs transient broker trouble (a coordinator loading, a leader moving) as errors and
 * retries them itself; they are warnings for us. Its info chatter is debug.
 */
function pinoLogCreator(log: Logger): NonNullable<KafkaConfig['logCreator']> {
  return () =>
    ({ namespace, level, log: entry }: LogEntry) => {
      const { message, timestamp: _timestamp, logger: _logger, ...extra } = entry as { message: string; timestamp: string; logger?: string };
      const fields = { kafkajs: namespace, ...extra };
      if (level === logLevel.ERROR || level === logLevel.WARN) log.warn(fields, message);
      else if (level === logLevel.INFO) log.debug(fields, message);
      else log.trace(fields, message);
    };
}

function kafkajsLevel(log: Logger): number {
  if (log.isLevelEnabled('trace')) return logLevel.DEBUG;
  if (log.isLevelEnabled('debug')) return logLevel.INFO;
  return logLevel.WARN;
}

function readPem(path: string, key: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (cause) {
    throw new ConfigError(ErrorCodes.CONFIG_INVALID, `kafka.ssl.${key}: cannot read ${path}: ${(cause as Error).message}`, { input: path, cause });
  }
}

export function tlsOptions(options: KafkaOptions): ConnectionOptions | boolean {
  const ssl = options.ssl;
  if (!ssl.enabled) return false;
  const tls: ConnectionOptions = { rejectUnauthorized: ssl.rejectUnauthorized };
  if (ssl.caFile !== undefined) tls.ca = [readPem(ssl.caFile, 'caFile')];
  if (ssl.certFile !== undefined) tls.cert = readPem(ssl.certFile, 'certFile');
  if (ssl.keyFile !== undefined) tls.key = readPem(ssl.keyFile, 'keyFile');
  if (ssl.servername !== undefined) tls.servername = ssl.servername;
  return tls;
}

export function saslOptions(options: KafkaOptions): SASLOptions | undefined {
  const sasl = options.sasl;
  if (sasl === undefined) return undefined;
  return { mechanism: sasl.mechanism, username: sasl.username, password: sasl.password } as SASLOptions;
}

/** One kafkajs client for a process: every producer, consumer and admin comes from it. */
export function createKafkaClient(options: KafkaOptions, log: Logger): InstanceType<typeof Kafka> {
  if (options.brokers.length === 0) throw new ConfigError(ErrorCodes.CONFIG_INVALID, 'kafka.brokers is empty: set KAFKA_BROKERS=host:port');
  const config: KafkaConfig = {
    clientId: options.clientId,
    brokers: options.brokers,
    ssl: tlsOptions(options),
    connectionTimeout: options.connectionTimeoutMs,
    requestTimeout: options.requestTimeoutMs,
    // A broker restart takes seconds: keep retrying long enough to ride it out.
    retry: { initialRetryTime: 200, maxRetryTime: 5_000, retries: 12 },
    logLevel: kafkajsLevel(log),
    logCreator: pinoLogCreator(log),
  };
  const sasl = saslOptions(options);
  if (sasl !== undefined) config.sasl = sasl;
  return new Kafka(config);
}

export type KafkaClient = ReturnType<typeof createKafkaClient>;

/** This worker's id for transactional producers: configured, or host name and pid. */
export function resolveWorkerId(options: KafkaOptions): string {
  return options.workerId ?? `${hostname().replace(/[^A-Za-z0-9._-]/g, '_')}-${process.pid}`;
}
