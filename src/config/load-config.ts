import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { ConfigError, ErrorCodes } from '../errors/index.ts';
import { ConfigSchema, type Config } from './schema.ts';

type Json = Record<string, unknown>;

/**
 * Environment variables and the config key each sets. Env wins over the file, so one file can
 * serve several processes that differ by a variable or two.
 */
export const ENV_KEYS: ReadonlyArray<{ env: string; path: readonly string[]; kind: 'string' | 'int' | 'list' }> = [
  { env: 'TAGWATCH_LOG_LEVEL', path: ['log', 'level'], kind: 'string' },
  { env: 'TAGWATCH_STORE', path: ['store', 'path'], kind: 'string' },
  { env: 'CLICKHOUSE_URL', path: ['store', 'url'], kind: 'string' },
  { env: 'CLICKHOUSE_USER', path: ['store', 'user'], kind: 'string' },
  { env: 'CLICKHOUSE_PASSWORD', path: ['store', 'password'], kind: 'string' },
  { env: 'CLICKHOUSE_DATABASE', path: ['store', 'database'], kind: 'string' },
  { env: 'TAGWATCH_RETENTION_DAYS', path: ['store', 'retentionDays'], kind: 'int' },
  { env: 'KAFKA_BROKERS', path: ['kafka', 'brokers'], kind: 'list' },
  { env: 'KAFKA_TOPIC_PREFIX', path: ['kafka', 'topicPrefix'], kind: 'string' },
  { env: 'KAFKA_PARTITIONS', path: ['kafka', 'partitions'], kind: 'int' },
  { env: 'KAFKA_REPLICATION_FACTOR', path: ['kafka', 'replicationFactor'], kind: 'int' },
  { env: 'TAGWATCH_WORKER_ID', path: ['kafka', 'workerId'], kind: 'string' },
  { env: 'KAFKA_SSL', path: ['kafka', 'ssl', 'enabled'], kind: 'string' },
  { env: 'KAFKA_SSL_CA_FILE', path: ['kafka', 'ssl', 'caFile'], kind: 'string' },
  { env: 'KAFKA_SASL_MECHANISM', path: ['kafka', 'sasl', 'mechanism'], kind: 'string' },
  { env: 'KAFKA_SASL_USERNAME', path: ['kafka', 'sasl', 'username'], kind: 'string' },
  { env: 'KAFKA_SASL_PASSWORD', path: ['kafka', 'sasl', 'password'], kind: 'string' },
  { env: 'TAGWATCH_WEB_ADDRESS', path: ['web', 'address'], kind: 'string' },
  { env: 'TAGWATCH_WEB_TOKEN', path: ['web', 'token'], kind: 'string' },
  { env: 'TAGWATCH_WEB_CORS_ORIGINS', path: ['web', 'corsOrigins'], kind: 'list' },
  { env: 'TAGWATCH_METRICS_ADDRESS', path: ['metrics', 'address'], kind: 'string' },
];

export interface LoadConfigOptions {
  /** A YAML or JSON file. */
  file?: string | undefined;
  env?: NodeJS.ProcessEnv;
  /** Highest precedence: values from CLI flags, as a partial config object. */
  overrides?: Json;
}

/** Reads, merges (defaults < file < env < overrides) and validates the configuration once. */
export async function loadConfig(options: LoadConfigOptions = {}): Promise<Config> {
  let fromFile: Json = {};
  if (options.file !== undefined) fromFile = await readConfigFile(options.file);
  const fromEnv = envToConfig(options.env ?? process.env);
  return parseConfig(deepMerge(deepMerge(fromFile, fromEnv), options.overrides ?? {}));
}

/** Validates a raw configuration object; the error names each bad key, its value and what is allowed. */
export function parseConfig(raw: unknown): Config {
  const result = ConfigSchema.safeParse(raw);
  if (!result.success) {
    throw new ConfigError(ErrorCodes.CONFIG_INVALID, `invalid configuration:\n${describeIssues(result.error, raw)}`, { input: raw });
  }
  return result.data;
}

async function readConfigFile(file: string): Promise<Json> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (cause) {
    throw new ConfigError(ErrorCodes.CONFIG_FILE, `cannot read config file ${file}: ${(cause as Error).message}`, { input: file, cause });
  }
  let parsed: unknown;
  try {
    parsed = parseYaml(text);
  } catch (cause) {
    throw new ConfigError(ErrorCodes.CONFIG_FILE, `config file ${file} is not valid YAML/JSON: ${(cause as Error).message}`, { input: file, cause });
  }
  if (parsed === null || parsed === undefined) return {};
  if (typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new ConfigError(ErrorCodes.CONFIG_FILE, `config file ${file} must hold a mapping of sections`, { input: file });
  }
  return parsed as Json;
}

export function envToConfig(env: NodeJS.ProcessEnv): Json {
  const out: Json = {};
  for (const { env: name, path, kind } of ENV_KEYS) {
    const value = env[name];
    if (value === undefined || value === '') continue;
    let parsed: unknown = value;
    if (kind === 'int') {
      parsed = /^-?\d+$/.test(value.trim()) ? Number(value) : value;
    } else if (kind === 'list') {
      parsed = value.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
    }
    setPath(out, path, parsed);
  }
  return out;
}

function setPath(target: Json, path: readonly string[], value: unknown): void {
  let node = target;
  for (const key of path.slice(0, -1)) {
    const next = node[key];
    if (next === undefined || typeof next !== 'object' || next === null) node[key] = {};
    node = node[key] as Json;
  }
  node[path[path.length - 1] as string] = value;
}

function isPlainObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function deepMerge(base: Json, over: Json): Json {
  const out: Json = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const current = out[key];
    out[key] = isPlainObject(current) && isPlainObject(value) ? deepMerge(current, value) : value;
  }
  return out;
}

function describeIssues(error: z.ZodError, raw: unknown): string {
  return error.issues
    .map((issue) => {
      const key = issue.path.join('.') || '(root)';
      const value = valueAt(raw, issue.path);
      const shown = value === undefined ? 'missing' : redactIfSecret(key, value);
      return `  - ${key} = ${shown}: ${issue.message}`;
    })
    .join('\n');
}

const SECRET_KEY = /(password|secret|token)/i;

function redactIfSecret(key: string, value: unknown): string {
  if (SECRET_KEY.test(key)) return '[redacted]';
  // Webhook URLs often carry their secret in the path (Slack): show only where they point.
  if (/url$/i.test(key) && typeof value === 'string') {
    try {
      return JSON.stringify(`${new URL(value).origin}/…`);
    } catch {
      return '[redacted url]';
    }
  }
  // Nested values (a whole source entry) may hold secrets under their own keys.
  const text = JSON.stringify(value, (k, v: unknown) => (SECRET_KEY.test(k) ? '[redacted]' : v)) ?? String(value);
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}

function valueAt(raw: unknown, path: ReadonlyArray<PropertyKey>): unknown {
  let node: unknown = raw;
  for (const key of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<PropertyKey, unknown>)[key];
  }
  return node;
}
