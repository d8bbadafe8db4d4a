import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { registerSimulateCommand } from '../../../src/cli/commands/simulate.ts';
import { TruthSchema } from '../../../src/sim/index.ts';

function program(): Command {
  const p = new Command('tagwatch').exitOverride();
  registerSimulateCommand(p);
  return p;
}

describe('tagwatch simulate', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tagwatch-simcli-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('writes the stream and the truth, and prints a one-line summary', async () => {
    const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const options = join(dir, 'opts.yaml');
    await writeFile(options, 'hardCases:\n  breakingNews: { count: 0 }\n  celebrityRepost: { count: 0 }\n  liveEvent: { count: 0 }\ncampaigns:\n  count: [1, 1]\n');
    await program().parseAsync(['simulate', '--seed', '3', '--hours', '0.5', '--rate', '30', '--out', join(dir, 's.jsonl'), '--truth', join(dir, 't.json'), '--options', options], { from: 'user' });
    const summary = out.mock.calls.map((c) => String(c[0])).join('');
    expect(summary).toMatch(/^simulated \d+ posts by \d+ accounts, 1 campaigns, 1 hard cases, \d+ bursts → .*s\.jsonl \(truth: .*t\.json\)/);
    const lines = (await readFile(join(dir, 's.jsonl'), 'utf8')).trim().split('\n');
    const truth = TruthSchema.parse(JSON.parse(await readFile(join(dir, 't.json'), 'utf8')));
    expect(lines).toHaveLength(truth.stats.posts);
    expect(truth.options.ratePerMin).toBe(30);
    expect(truth.campaigns).toHaveLength(1);
  });

  it('rejects a bad number or an invalid option with a usage error', async () => {
    await expect(program().parseAsync(['simulate', '--seed', 'x', '--out', join(dir, 'x.jsonl')], { from: 'user' })).rejects.toMatchObject({ code: 'TW_USAGE' });
    await expect(program().parseAsync(['simulate', '--seed', '1', '--hours', '-2', '--out', join(dir, 'x.jsonl')], { from: 'user' })).rejects.toThrow(/hours/);
  });
});
