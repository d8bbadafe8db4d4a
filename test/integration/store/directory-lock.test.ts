import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore } from '../../../src/store/index.ts';
import { coreOnly, log, storeOptions, tempStoreDir } from './store-fixture.ts';

describe('embedded store directory lock', () => {
  const dir = tempStoreDir();
  const lockFile = join(dir.path, 'tagwatch.lock');
  afterAll(() => dir.remove());

  it('refuses a writer while another live process holds the directory; readers still open', async () => {
    writeFileSync(lockFile, `${process.ppid}\n`);
    await expect(openStore(storeOptions(dir.path), log, coreOnly)).rejects.toThrow(new RegExp(`in use by process ${process.ppid}`));
    const reader = await openStore(storeOptions(dir.path), log, { migrate: false });
    await reader.close();
    expect(readFileSync(lockFile, 'utf8').trim()).toBe(String(process.ppid));
  });

  it('takes over a lock left by a dead process, shares it within the process, and releases it on close', async () => {
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    writeFileSync(lockFile, `${dead.stdout}\n`);
    const first = await openStore(storeOptions(dir.path), log, coreOnly);
    const second = await openStore(storeOptions(dir.path), log, coreOnly);
    expect(readFileSync(lockFile, 'utf8').trim()).toBe(String(process.pid));
    await first.close();
    expect(existsSync(lockFile)).toBe(true);
    await second.close();
    expect(existsSync(lockFile)).toBe(false);
  });
});
