import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Command } from 'commander';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { commandRegistrations } from '../../../src/cli/commands/index.ts';
import { deepMerge, ENV_KEYS, envToConfig, parseConfig } from '../../../src/config/index.ts';
import { parseListenAddress } from '../../../src/metrics/index.ts';
import { parseRoles, Roles, type Role } from '../../../src/runtime/roles.ts';

const ROOT = join(import.meta.dirname, '../../..');
const TAGWATCH_ROLES: Role[] = [Roles.collect, Roles.ingest, Roles.analyze, Roles.notify, Roles.sink, Roles.web];

interface Service {
  image?: string;
  build?: unknown;
  command?: string[];
  environment?: Record<string, string>;
  ports?: string[];
  volumes?: string[];
  configs?: Array<{ source: string; target: string }>;
  healthcheck?: { test: string[] };
  restart?: string;
  deploy?: { replicas?: number };
}
interface Compose {
  services: Record<string, Service>;
  configs: Record<string, { content: string }>;
  volumes: Record<string, unknown>;
}

/** Compose's `${VAR}`, `${VAR:-default}` and `${VAR:?error}`, filled as a deployment would. */
function interpolate(text: string): string {
  return text.replace(/\$\{([A-Z0-9_]+)(?::[-?][^}]*)?\}/g, (_m, name: string) => `test-value-for-${name.toLowerCase().replaceAll('_', '-')}`);
}

const isTagwatch = (s: Service): boolean => s.image === 'tagwatch:local' && s.build !== undefined;

/** The port a healthcheck command fetches on 127.0.0.1. */
function healthPort(service: Service): number | undefined {
  const match = /127\.0\.0\.1:(\d+)\//.exec(service.healthcheck?.test.join(' ') ?? '');
  return match === null ? undefined : Number(match[1]);
}

describe('docker-compose.yml', () => {
  let compose: Compose;
  let dockerfile: string;
  let run: Command;

  beforeAll(async () => {
    compose = parseYaml(interpolate(await readFile(join(ROOT, 'docker-compose.yml'), 'utf8')), { merge: true }) as Compose;
    dockerfile = await readFile(join(ROOT, 'Dockerfile'), 'utf8');
    const program = new Command('tagwatch');
    for (const register of commandRegistrations) register(program);
    const found = program.commands.find((c) => c.name() === 'run');
    if (found === undefined) throw new Error('no run command registered');
    run = found;
  });

  it('runs every tagwatch role, each as a real `tagwatch run --role` with options the CLI has', () => {
    const roles: Role[] = [];
    const known = new Set(run.options.map((o) => o.long));
    for (const [name, service] of Object.entries(compose.services).filter(([, s]) => isTagwatch(s))) {
      const args = service.command ?? [];
      expect(args[0], name).toBe('run');
      for (const arg of args.slice(1).filter((a) => a.startsWith('--'))) expect(known, `${name}: ${arg}`).toContain(arg);
      const role = args[args.indexOf('--role') + 1] ?? '';
      const parsed = [...parseRoles(role)];
      expect(parsed, name).toHaveLength(1);
      roles.push(...parsed);
      expect(service.restart, name).toBe('unless-stopped');
    }
    expect([...roles].sort()).toEqual([...TAGWATCH_ROLES].sort());
    expect(compose.services['analyze']?.deploy?.replicas).toBeGreaterThanOrEqual(2);
  });

  it("gives every role a configuration the real schema accepts, with only env names the code reads", () => {
    const envNames = new Set(ENV_KEYS.map((k) => k.env));
    for (const [name, service] of Object.entries(compose.services).filter(([, s]) => isTagwatch(s))) {
      const args = service.command ?? [];
      const file = args[args.indexOf('--config') + 1];
      const mounted = service.configs?.find((c) => c.target === file);
      expect(mounted, `${name} mounts its --config file`).toBeDefined();
      const content = compose.configs[mounted?.source ?? '']?.content ?? '';
      const env = service.environment ?? {};
      for (const key of Object.keys(env)) expect(envNames, `${name}: ${key}`).toContain(key);
      const config = parseConfig(deepMerge(parseYaml(content) as Record<string, unknown>, envToConfig(env)));
      expect(config.kafka.brokers, name).toEqual(['kafka:9092']);
      expect(config.store.url, name).toBe('http://clickhouse:8123');
      expect(config.store.user, name).toBe('tagwatch');
    }
  });

  it('publishes and health-checks the ports the processes listen on', () => {
    const web = compose.services['web'] as Service;
    const webConfig = parseConfig(envToConfig(web.environment ?? {}));
    const webPort = parseListenAddress(webConfig.web.address).port;
    expect(web.ports).toContain(`${webPort}:${webPort}`);
    expect(healthPort(web)).toBe(webPort);
    expect(webConfig.web.token).toBeDefined();
    for (const [name, service] of Object.entries(compose.services).filter(([n, s]) => isTagwatch(s) && n !== 'web')) {
      const config = parseConfig(envToConfig(service.environment ?? {}));
      expect(config.metrics.address, name).toBeDefined();
      expect(healthPort(service), name).toBe(parseListenAddress(config.metrics.address as string).port);
    }
    expect(dockerfile).toMatch(new RegExp(`EXPOSE .*\\b${webPort}\\b`));
    expect(dockerfile).toMatch(/EXPOSE .*\b9464\b/);
    for (const [name, service] of Object.entries(compose.services)) expect(service.healthcheck?.test.length, `${name} healthcheck`).toBeGreaterThan(0);
  });

  it('runs Kafka 4 in KRaft mode where the roles look for it', () => {
    const kafka = compose.services['kafka'] as Service;
    expect(kafka.image).toMatch(/^apache\/kafka:4\./);
    expect(kafka.environment?.['KAFKA_PROCESS_ROLES']).toBe('broker,controller');
    expect(kafka.environment?.['KAFKA_ADVERTISED_LISTENERS']).toContain('//kafka:9092');
    expect(kafka.volumes?.some((v) => v.startsWith('kafka-data:'))).toBe(true);
  });

  it('gives researchers a read-only ClickHouse account that reads deduplicated rows', () => {
    const users = compose.configs['clickhouse-users']?.content ?? '';
    const profile = /<profiles>[\s\S]*?<researcher>([\s\S]*?)<\/researcher>/.exec(users)?.[1] ?? '';
    expect(profile).toContain('<readonly>1</readonly>');
    expect(profile).toContain('<final>1</final>');
    const researcher = /<users>[\s\S]*?<researcher>([\s\S]*?)<\/researcher>/.exec(users)?.[1] ?? '';
    expect(researcher).toContain('<profile>researcher</profile>');
    expect(researcher.match(/GRANT [^<]*/g)).toEqual(['GRANT SELECT ON tagwatch.*']);
    const clickhouse = compose.services['clickhouse'] as Service;
    for (const variable of users.matchAll(/from_env="([A-Z0-9_]+)"/g)) expect(Object.keys(clickhouse.environment ?? {})).toContain(variable[1]);
    expect(clickhouse.volumes?.some((v) => v.startsWith('clickhouse-data:'))).toBe(true);
  });

  it('starts Grafana with the ClickHouse plugin, the provisioning and the dashboards', async () => {
    const grafana = compose.services['grafana'] as Service;
    expect(grafana.environment?.['GF_INSTALL_PLUGINS']).toContain('grafana-clickhouse-datasource');
    expect(grafana.volumes).toContain('./dashboards/provisioning:/etc/grafana/provisioning:ro');
    const provider = parseYaml(await readFile(join(ROOT, 'dashboards/provisioning/dashboards/tagwatch.yaml'), 'utf8')) as {
      providers: Array<{ options: { path: string } }>;
    };
    expect(grafana.volumes).toContain(`./dashboards:${provider.providers[0]?.options.path}:ro`);
    const datasource = (await readFile(join(ROOT, 'dashboards/provisioning/datasources/tagwatch-clickhouse.yaml'), 'utf8')).replace(/^\s*#.*$/gm, '');
    for (const variable of datasource.matchAll(/\$\{([A-Z0-9_]+)\}/g)) expect(Object.keys(grafana.environment ?? {})).toContain(variable[1]);
    expect(grafana.environment?.['TAGWATCH_CLICKHOUSE_READER']).toBe('researcher');
  });

  it('builds the tagwatch image from Node 20 with npm ci and the compiled CLI as entry point', () => {
    expect(dockerfile).toMatch(/^FROM node:20\S* AS build$/m);
    expect(dockerfile).toContain('npm ci');
    expect(dockerfile).toContain('npm run build');
    expect(dockerfile).toContain('ENTRYPOINT ["node", "bin/tagwatch.js"]');
    expect(dockerfile).toContain('COPY src/web/ui ./src/web/ui');
  });
});
