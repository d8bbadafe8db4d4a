import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTagwatch, sqlRows, TAGWATCH_BIN } from '../../support/tagwatch-cli.ts';

describe('tagwatch demo', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tw-demo-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('runs a small #MacronLeaks evening to the end and exits 0', async () => {
    const result = await runTagwatch(['demo', '--store', 'demo', '--scale', '0.02', '--speed', 'max', '--no-web'], { cwd: dir });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/demo finished: \d+ posts stored/);
    const [tag] = await sqlRows<{ n: number }>(join(dir, 'demo', 'store'), "SELECT count() AS n FROM posts WHERE has(tags, 'macronleaks')");
    expect(tag?.n).toBeGreaterThan(1_000);
    const flags = await sqlRows<{ kind: string }>(join(dir, 'demo', 'store'), "SELECT DISTINCT kind FROM flags WHERE tag = 'macronleaks'");
    expect(flags.map((f) => f.kind)).toContain('burst');
  });

  it('stops cleanly on Ctrl-C (SIGINT) with exit code 0', async () => {
    const child = spawn(process.execPath, [TAGWATCH_BIN, 'demo', '--store', 'ctrlc', '--scale', '0.02', '--speed', '60', '--no-web'], {
      cwd: dir,
      env: { ...process.env, TAGWATCH_LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    const replaying = new Promise<void>((resolve) => {
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
        if (stderr.includes('replaying at')) resolve();
      });
    });
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    await replaying;
    child.kill('SIGINT');
    expect(await exited, stderr).toBe(0);
    expect(stderr).toMatch(/demo stopped/);
  });

  it('refuses to wipe a directory that is not a demo store', async () => {
    await mkdir(join(dir, 'precious'), { recursive: true });
    await writeFile(join(dir, 'precious', 'notes.txt'), 'keep me');
    const result = await runTagwatch(['demo', '--store', 'precious', '--no-web'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/not a tagwatch demo directory/);
    expect(await readFile(join(dir, 'precious', 'notes.txt'), 'utf8')).toBe('keep me');
  });
});
