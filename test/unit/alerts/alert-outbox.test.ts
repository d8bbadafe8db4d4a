import { spawnSync } from 'node:child_process';
import { appendFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AlertOutbox, type OutboxEntry } from '../../../src/alerts/index.ts';
import { silentLogger } from '../../../src/log/index.ts';

let dir: string;
const opened: AlertOutbox[] = [];
let now = Date.parse('2017-05-05T19:00:00Z');

function entry(id: string, overrides: Partial<OutboxEntry> = {}): OutboxEntry {
  return { id, subscriber: 's', flagId: `f-${id}`, tag: 't', type: 'flag.opened', revision: 0, createdAt: now, dueAt: now, attempts: 0, body: '{"x":1}', contentType: 'application/json', ...overrides };
}

async function open(compactAfterBytes = 1 << 20): Promise<AlertOutbox> {
  const outbox = await AlertOutbox.open({ dir, log: silentLogger(), compactAfterBytes, episodeTtlMs: 3_600_000, now: () => now });
  opened.push(outbox);
  return outbox;
}

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tw-outbox-'));
});

afterEach(async () => {
  for (const o of opened.splice(0)) await o.close();
  await rm(dir, { recursive: true, force: true });
});

describe('AlertOutbox', () => {
  it('survives a reopen: pending entries with their attempt state, episodes; finished entries are gone', async () => {
    const a = await open();
    await a.commit([
      { op: 'enqueue', entry: entry('e1') },
      { op: 'enqueue', entry: entry('e2') },
      { op: 'episode', episode: { subscriber: 's', flagId: 'f-e1', revision: 0, alertAt: now, seenAt: now } },
    ]);
    await a.commit([{ op: 'attempt', id: 'e1', attempts: 2, dueAt: now + 5_000 }]);
    await a.commit([{ op: 'done', id: 'e2', outcome: 'delivered' }]);
    await a.close();

    const b = await open();
    expect([...b.entries()].map((e) => [e.id, e.attempts, e.dueAt])).toEqual([['e1', 2, now + 5_000]]);
    expect(b.episode('s', 'f-e1')).toMatchObject({ revision: 0 });
    // Opening compacts: the file now holds only the live state.
    const lines = (await readFile(join(dir, 'outbox.jsonl'), 'utf8')).trim().split('\n');
    expect(lines.map((l) => (JSON.parse(l) as { op: string }).op).sort()).toEqual(['enqueue', 'episode']);
  });

  it('ignores a torn last line (crash mid-write) and keeps everything before it', async () => {
    const a = await open();
    await a.commit([{ op: 'enqueue', entry: entry('e1') }]);
    await a.close();
    await appendFile(join(dir, 'outbox.jsonl'), '{"op":"enqueue","entry":{"id":"e2","subscr');
    const b = await open();
    expect([...b.entries()].map((e) => e.id)).toEqual(['e1']);
  });

  it('refuses a second outbox on the same directory while the first is open', async () => {
    await open();
    await expect(open()).rejects.toMatchObject({ code: 'TW_ALERT_OUTBOX_LOCKED' });
  });

  it('takes over a lock left by a dead process', async () => {
    const dead = spawnSync(process.execPath, ['-e', '']);
    await writeFile(join(dir, 'outbox.lock'), `${dead.pid}\n`);
    const outbox = await open();
    expect(outbox.size).toBe(0);
  });

  it('compacts when the journal grows past the threshold, without losing state', async () => {
    const a = await open(4_096);
    for (let i = 0; i < 100; i++) {
      await a.commit([{ op: 'enqueue', entry: entry(`e${i}`) }]);
      if (i % 2 === 0) await a.commit([{ op: 'done', id: `e${i}`, outcome: 'delivered' }]);
    }
    const size = (await readFile(join(dir, 'outbox.jsonl'))).byteLength;
    expect(size).toBeLessThan(12_000);
    await a.close();
    const b = await open();
    expect(b.size).toBe(50);
    expect([...b.entries()][0]?.id).toBe('e1');
  });

  it('forgets episodes idle past the TTL at compaction, unless an alert of theirs is pending', async () => {
    const a = await open();
    await a.commit([
      { op: 'episode', episode: { subscriber: 's', flagId: 'old', revision: 1, alertAt: now, seenAt: now } },
      { op: 'episode', episode: { subscriber: 's', flagId: 'f-p', revision: 0, alertAt: now, seenAt: now } },
      { op: 'enqueue', entry: entry('p') },
    ]);
    await a.close();
    now += 2 * 3_600_000;
    const b = await open();
    expect(b.episode('s', 'old')).toBeUndefined();
    expect(b.episode('s', 'f-p')).toBeDefined();
  });
});
