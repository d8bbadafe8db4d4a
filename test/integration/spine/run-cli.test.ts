import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTagwatch, sqlRows, TAGWATCH_BIN } from '../../support/tagwatch-cli.ts';

describe('tagwatch run (embedded service)', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tw-run-'));
    const sim = await runTagwatch(['simulate', '--seed', '5', '--hours', '0.25', '--rate', '60', '--out', 'in.jsonl'], { cwd: dir });
    expect(sim.code, sim.stderr).toBe(0);
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('runs the configured sources, keeps serving after a finite one ends, and exits 0 on SIGTERM', async () => {
    await writeFile(
      join(dir, 'tagwatch.yaml'),
      ['store:', `  path: ${join(dir, 'store')}`, 'web:', '  address: 127.0.0.1:0', 'sources:', '  - type: replay', `    file: ${join(dir, 'in.jsonl')}`, ''].join('\n'),
    );
    const child = spawn(process.execPath, [TAGWATCH_BIN, 'run', '--config', 'tagwatch.yaml', '--log-level', 'info'], {
      cwd: dir,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    const finished = new Promise<void>((resolve) => {
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
        if (stderr.includes('analyze flushed (final)')) resolve();
      });
    });
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    await finished;
    // The web role serves Prometheus metrics: every stage counts what it processed.
    const web = /"web":"(http:\/\/127\.0\.0\.1:\d+)"/.exec(stderr)?.[1];
    expect(web, stderr).toBeDefined();
    const metrics = await (await fetch(`${web}/metrics`)).text();
    for (const stage of ['ingest', 'analyze', 'sink']) {
      const line = metrics.split('\n').find((l) => l.startsWith(`tagwatch_stage_records_total{stage="${stage}"`));
      expect(Number(line?.split(' ').pop()), stage).toBeGreaterThan(0);
    }
    expect(metrics).toMatch(/tagwatch_sink_rows_total\{table="posts"\} [1-9]/);
    expect(metrics).not.toMatch(/tag="/);
    child.kill('SIGTERM');
    expect(await exited, stderr).toBe(0);
    expect(stderr).toContain('embedded pipeline closed');
    const [row] = await sqlRows<{ n: number }>(join(dir, 'store'), 'SELECT count() AS n FROM posts');
    expect(row?.n).toBeGreaterThan(100);
  });

  it('fails fast, naming the problem, on an unknown source type', async () => {
    await writeFile(join(dir, 'bad.yaml'), 'sources:\n  - type: bluesky\n');
    const result = await runTagwatch(['run', '--config', 'bad.yaml'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/sources\.0\.type.*jetstream, mastodon, x, replay/);
  });

  it('refuses a partial role without Kafka', async () => {
    const result = await runTagwatch(['run', '--role', 'analyze', '--store', join(dir, 'other')], { cwd: dir, env: { KAFKA_BROKERS: '' } });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/needs Kafka.*KAFKA_BROKERS/);
  });
});
