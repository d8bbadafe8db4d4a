import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostSchema, resolveTags } from '../../../src/model/index.ts';
import { runTagwatch, sqlRows } from '../../support/tagwatch-cli.ts';

/**
 * The spine's acceptance path, run as a new user would: simulate → replay → sql, a second
 * replay of the same file, and a copy with 1% corrupted lines.
 */
describe('replay into the embedded store (CLI)', () => {
  let dir: string;
  let lines: string[];
  let pairs: number;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tw-spine-'));
    const sim = await runTagwatch(['simulate', '--seed', '11', '--hours', '0.5', '--rate', '120', '--out', 's.jsonl', '--truth', 't.json'], { cwd: dir });
    expect(sim.code, sim.stderr).toBe(0);
    lines = (await readFile(join(dir, 's.jsonl'), 'utf8')).split('\n').filter((l) => l.length > 0);
    pairs = 0;
    for (const line of lines) {
      const post = PostSchema.parse(JSON.parse(line));
      pairs += resolveTags(post.text, post.tags).length;
    }
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('stores every post once, even when the file is replayed twice, and counts every (post, tag) pair', async () => {
    const first = await runTagwatch(['replay', 's.jsonl', '--store', 'st', '--speed', 'max'], { cwd: dir });
    expect(first.code, first.stderr).toBe(0);
    expect(first.stderr).toMatch(new RegExp(`read ${lines.length} records, accepted ${lines.length}, dead-lettered 0`));
    expect(await sqlRows(join(dir, 'st'), 'SELECT count() AS n FROM posts')).toEqual([{ n: lines.length }]);
    expect(await sqlRows(join(dir, 'st'), 'SELECT sum(posts) AS n FROM tag_minute')).toEqual([{ n: pairs }]);
    const flagsBefore = await sqlRows(join(dir, 'st'), 'SELECT flag_id, revision FROM flags ORDER BY flag_id');

    const second = await runTagwatch(['replay', 's.jsonl', '--store', 'st', '--speed', 'max'], { cwd: dir });
    expect(second.code, second.stderr).toBe(0);
    expect(await sqlRows(join(dir, 'st'), 'SELECT count() AS n FROM posts')).toEqual([{ n: lines.length }]);
    expect(await sqlRows(join(dir, 'st'), 'SELECT sum(posts) AS n FROM tag_minute')).toEqual([{ n: pairs }]);
    expect(await sqlRows(join(dir, 'st'), 'SELECT flag_id, revision FROM flags ORDER BY flag_id')).toEqual(flagsBefore);
  });

  it('loses no valid post from a file with 1% corrupted lines and dead-letters each bad line with its reason', async () => {
    const corrupted: string[] = [];
    const bad = new Set<number>();
    lines.forEach((line, i) => {
      if (i % 100 !== 37) return corrupted.push(line);
      bad.add(i + 1);
      // Alternate the ways a line can be bad: broken JSON, and valid JSON that fails the schema.
      corrupted.push(i % 200 === 37 ? line.slice(0, line.length / 2) : JSON.stringify({ ...JSON.parse(line), createdAt: 'not a time' }));
    });
    await writeFile(join(dir, 'bad.jsonl'), `${corrupted.join('\n')}\n`);
    const result = await runTagwatch(['replay', 'bad.jsonl', '--store', 'bad', '--speed', 'max'], { cwd: dir });
    expect(result.code, result.stderr).toBe(0);
    expect(await sqlRows(join(dir, 'bad'), 'SELECT count() AS n FROM posts')).toEqual([{ n: lines.length - bad.size }]);
    const letters = await sqlRows<{ ref: string; reason: string; code: string }>(join(dir, 'bad'), 'SELECT ref, reason, code FROM dead_letters ORDER BY ref');
    expect(letters).toHaveLength(bad.size);
    const lineNumbers = letters.map((l) => Number(/:(\d+)$/.exec(l.ref)?.[1])).sort((a, b) => a - b);
    expect(lineNumbers).toEqual([...bad].sort((a, b) => a - b));
    for (const letter of letters) {
      expect(letter.code).toMatch(/^TW_(JSON_INVALID|POST_INVALID)$/);
      expect(letter.reason.length).toBeGreaterThan(5);
      if (letter.code === 'TW_POST_INVALID') expect(letter.reason).toContain('createdAt');
    }
  });

  it('refuses a write statement in sql with a clear message', async () => {
    const result = await runTagwatch(['sql', '--store', 'st', 'DROP TABLE posts'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/refused: DROP statements are not allowed.*only reads/);
  });
});
