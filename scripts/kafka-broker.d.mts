export interface BrokerInfo {
  /** Bootstrap address, `127.0.0.1:PORT`. */
  brokers: string;
  pid: number;
  dir: string;
  version: string;
  logFile: string;
  /** The SASL/PLAIN listener, when started with `sasl`. */
  saslBrokers?: string;
}

export interface StartBrokerOptions {
  dir?: string;
  libsDir?: string;
  detached?: boolean;
  heapMb?: number;
  readyTimeoutMs?: number;
  overrides?: Record<string, string>;
  sasl?: { username: string; password: string };
  log?: (line: string) => void;
}

export const REPO_ROOT: string;
export const KAFKA_HOME: string;
export const DEFAULT_LIBS_DIR: string;
export const DEV_BROKER_DIR: string;
export function kafkaVersion(): string;
export function ensureKafkaLibs(options?: { libsDir?: string; log?: (line: string) => void }): string;
export function freePort(): Promise<number>;
export function startBroker(options?: StartBrokerOptions): Promise<BrokerInfo>;
export function brokerStatus(options?: { dir?: string }): BrokerInfo | undefined;
export function stopBroker(options?: { dir?: string; timeoutMs?: number; remove?: boolean; signal?: NodeJS.Signals }): Promise<boolean>;
