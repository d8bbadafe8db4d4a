import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig, parseConfig } from '../../../src/config/index.ts';
import { ConfigError } from '../../../src/errors/index.ts';

describe('config', () => {
  it('has working defaults with no file and no env', async () => {
    const config = await loadConfig({ env: {} });
    expect(config.store).toMatchObject({ path: './data', retentionDays: 90, database: 'tagwatch' });
    expect(config.store.url).toBeUndefined();
  });

  it('merges defaults < file < env < overrides', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tw-config-'));
    try {
      const file = join(dir, 'tagwatch.yaml');
      await writeFile(file, 'store:\n  path: /from/file\n  retentionDays: 30\nlog:\n  level: debug\n');
      const config = await loadConfig({
        file,
        env: { CLICKHOUSE_URL: 'http://127.0.0.1:8123', TAGWATCH_RETENTION_DAYS: '7' },
        overrides: { store: { path: '/from/flag' } },
      });
      expect(config.store).toMatchObject({ path: '/from/flag', url: 'http://127.0.0.1:8123', retentionDays: 7 });
      expect(config.log.level).toBe('debug');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('names the key, the value and what is allowed', () => {
    let error: unknown;
    try {
      parseConfig({ store: { retentionDays: 0, password: 'hunter2' }, log: { level: 'loud' } });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).toMatch(/store\.retentionDays = 0: .*>=1/);
    expect(message).toMatch(/log\.level = "loud": .*"info"/);
    expect(message).not.toContain('hunter2');
  });

  it('never echoes a secret nested in a rejected value, nor a webhook URL path', () => {
    let message = '';
    try {
      parseConfig({
        sources: [{ type: 'x', bearerToken: 'sekrit-bearer-1', misspelt: 1 }],
        alerts: { subscribers: [{ name: 'slack', url: 'https://hooks.example.com/services/T000/B000/XXXXSECRETPATH', secret: 'short' }] },
      });
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toMatch(/sources\.0/);
    expect(message).not.toContain('sekrit-bearer-1');
    expect(message).not.toContain('XXXXSECRETPATH');
  });

  it('reports an unreadable or malformed file by name', async () => {
    await expect(loadConfig({ file: '/nonexistent/tagwatch.yaml', env: {} })).rejects.toThrow(/tagwatch\.yaml/);
    const dir = await mkdtemp(join(tmpdir(), 'tw-config-'));
    try {
      const file = join(dir, 'bad.yaml');
      await writeFile(file, 'store: [unclosed');
      await expect(loadConfig({ file, env: {} })).rejects.toThrow(/bad\.yaml/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
