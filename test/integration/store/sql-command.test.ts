import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Streams } from '../../../src/bus/index.ts';
import { openStore, SinkStage } from '../../../src/store/index.ts';
import { coreOnly, batch, CapturingProducer, deletionRecord, log, postRecord, storeOptions, tempStoreDir } from './store-fixture.ts';

const CLI = fileURLToPath(new URL('../../../bin/tagwatch.js', import.meta.url));

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI in its own process (it opens the store directory itself). */
function tagwatch(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      env: { ...process.env, CLICKHOUSE_URL: '', TAGWATCH_LOG_LEVEL: 'warn', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('tagwatch sql', () => {
  const dir = tempStoreDir();

  beforeAll(async () => {
    const store = await openStore(storeOptions(dir.path), log, coreOnly);
    const sink = new SinkStage(store, log);
    // Written twice, plus a deletion: the command must see deduplicated rows.
    for (let i = 0; i < 2; i++) await sink.process(batch(Streams.accepted, [postRecord('1'), postRecord('2'), postRecord('3')]), new CapturingProducer());
    await sink.process(batch(Streams.deletions, [deletionRecord('3', Date.now())]), new CapturingProducer());
    await sink.close();
    await store.close();
  });
  afterAll(() => dir.remove());

  const query = "SELECT id, deleted, tags FROM posts WHERE id IN ('1', '3') ORDER BY id";

  it('prints JSONEachRow, deduplicated (final=1)', async () => {
    const count = await tagwatch(['sql', '--store', dir.path, '--format', 'JSONEachRow', 'SELECT count() AS n FROM posts']);
    expect(count).toMatchObject({ code: 0, stdout: '{"n":3}\n' });
    const rows = await tagwatch(['sql', '--store', dir.path, '--format', 'JSONEachRow', query]);
    expect(rows.stdout).toBe('{"id":"1","deleted":0,"tags":["macronleaks","presidentielle2017"]}\n{"id":"3","deleted":1,"tags":["macronleaks","presidentielle2017"]}\n');
  });

  it('prints CSV and TSV', async () => {
    const csv = await tagwatch(['sql', '--store', dir.path, '--format', 'CSV', query]);
    expect(csv).toMatchObject({ code: 0, stdout: `"1",0,"['macronleaks','presidentielle2017']"\n"3",1,"['macronleaks','presidentielle2017']"\n` });
    const tsv = await tagwatch(['sql', '--store', dir.path, '--format', 'TSV', query]);
    expect(tsv).toMatchObject({ code: 0, stdout: `1\t0\t['macronleaks','presidentielle2017']\n3\t1\t['macronleaks','presidentielle2017']\n` });
  });

  it('prints Pretty tables', async () => {
    const pretty = await tagwatch(['sql', '--store', dir.path, '--format', 'Pretty', 'SELECT id, deleted FROM posts ORDER BY id']);
    expect(pretty.code).toBe(0);
    const lines = pretty.stdout.trimEnd().split('\n');
    expect(lines[1]).toMatch(/┃ id ┃ deleted ┃/);
    expect(lines.filter((l) => /│ \d+ +│/.test(l))).toHaveLength(3);
  });

  it('refuses a write statement with TW_STORE_READONLY semantics and exit code 2', async () => {
    const drop = await tagwatch(['sql', '--store', dir.path, 'DROP TABLE posts']);
    expect(drop.code).toBe(2);
    expect(drop.stdout).toBe('');
    expect(drop.stderr).toMatch(/refused: DROP statements are not allowed.*\[TW_STORE_READONLY\]/);
    const sneaky = await tagwatch(['sql', '--store', dir.path, 'SELECT 1; INSERT INTO posts (id) VALUES (1)']);
    expect(sneaky.code).toBe(2);
    expect(sneaky.stderr).toMatch(/only one statement/);
    const count = await tagwatch(['sql', '--store', dir.path, '--format', 'TSV', 'SELECT count() FROM posts']);
    expect(count.stdout).toBe('3\n');
  });

  it('runs with readonly=1: what the statement check lets through, ClickHouse still refuses to write', async () => {
    const fileRead = await tagwatch(['sql', '--store', dir.path, "SELECT * FROM file('/etc/hostname', 'LineAsString')"]);
    expect(fileRead.code).toBe(2);
    expect(fileRead.stderr).toMatch(/read-only.*\[TW_STORE_READONLY\]/);
    const settings = await tagwatch(['sql', '--store', dir.path, '--format', 'TSV', "SELECT getSetting('readonly'), getSetting('final')"]);
    expect(settings.stdout).toBe('1\ttrue\n');
  });

  it('fails clearly on a missing store or a bad query', async () => {
    const missing = await tagwatch(['sql', '--store', `${dir.path}-absent`, 'SELECT 1']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/no store at/);
    const bad = await tagwatch(['sql', '--store', dir.path, 'SELECT nosuch FROM posts']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/query failed: .*nosuch/);
  });

  it('honours CLICKHOUSE_URL (a server instead of --store), and keeps its password out of the message', async () => {
    const down = await tagwatch(['sql', '--store', dir.path, 'SELECT 1'], { CLICKHOUSE_URL: 'http://reader:s3cret@127.0.0.1:9' });
    expect(down.code).toBe(1);
    expect(down.stderr).toMatch(/cannot reach ClickHouse at http:\/\/reader:.*127\.0\.0\.1:9/);
    expect(down.stderr).not.toContain('s3cret');
  });
});
