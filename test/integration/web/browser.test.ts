import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../src/log/index.ts';
import { WebOptionsSchema, WebServer, type ReadModel } from '../../../src/web/index.ts';

const ROOT = join(import.meta.dirname, '../../..');
const ARTIFACTS = join(ROOT, 'test-artifacts');
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
const TAG = 'macronleaks';

/** Pixels of a chart's canvas that are not blank: proof that uPlot drew something. */
async function paintedPixels(page: Page, selector: string): Promise<number> {
  return page.$eval(selector, (canvas) => {
    const c = canvas as HTMLCanvasElement;
    const data = c.getContext('2d')?.getImageData(0, 0, c.width, c.height).data ?? new Uint8ClampedArray();
    let painted = 0;
    for (let i = 3; i < data.length; i += 4) if ((data[i] ?? 0) > 0) painted++;
    return painted;
  });
}

/**
 * `tagwatch demo` as a user starts it, on a free port: it simulates the #MacronLeaks evening,
 * replays it in accelerated event time and serves the UI until Ctrl-C.
 */
function startDemo(storeDir: string): { child: ChildProcess; url: Promise<string>; exit: Promise<number | null>; stderr: () => string } {
  const child = spawn(
    process.execPath,
    [join(ROOT, 'bin/tagwatch.js'), 'demo', '--store', storeDir, '--web-address', '127.0.0.1:0', '--speed', '1200', '--scale', '0.02', '--log-level', 'warn'],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let err = '';
  child.stdout?.resume();
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const url = new Promise<string>((resolve, reject) => {
    child.stderr?.on('data', (chunk: Buffer) => {
      err += chunk.toString('utf8');
      const match = /web UI: (http:\/\/\S+)/.exec(err);
      if (match?.[1] !== undefined) resolve(match[1]);
    });
    void exit.then((code) => reject(new Error(`demo exited (${code}) before serving the UI:\n${err}`)));
  });
  return { child, url, exit, stderr: () => err };
}

describe('web UI in headless Chromium during `tagwatch demo`', () => {
  let dir: string;
  let demo: ReturnType<typeof startDemo>;
  let context: BrowserContext;
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tagwatch-browser-'));
    await mkdir(ARTIFACTS, { recursive: true });
    context = await chromium.launchPersistentContext(join(dir, 'chromium-profile'), {
      executablePath: '/usr/bin/chromium',
      args: CHROMIUM_ARGS,
      viewport: { width: 1280, height: 900 },
    });
    page = await context.newPage();
    page.on('pageerror', (err) => pageErrors.push(err.message));
    page.on('console', (message) => {
      if (message.type() === 'error' || /Content Security Policy/.test(message.text())) pageErrors.push(message.text());
    });
    demo = startDemo(join(dir, 'demo'));
  });

  afterAll(async () => {
    await context?.close();
    if (demo !== undefined && demo.child.exitCode === null) {
      demo.child.kill('SIGKILL');
      await demo.exit;
    }
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  it('shows the flagged tag appear on the board without reloading, then its page with charts and evidence', async () => {
    const base = await demo.url;
    await page.goto(`${base}/#/?rank=coordination&window=240`);
    await expect.poll(() => page.textContent('[data-testid=live-status]')).toBe('live');
    // A marker on the window: if the page reloaded, it would be gone.
    await page.evaluate(() => {
      (window as unknown as { tagwatchMarker: number }).tagwatchMarker = 42;
    });

    // The coordinated flag reaches the board while the replay runs, through the live feed.
    await page.locator(`[data-testid=recent-flag][data-tag="${TAG}"] [data-testid=flag-badge][data-kind=coordinated]`).first().waitFor({ timeout: 150_000 });
    const row = page.locator(`[data-testid=board-row][data-tag="${TAG}"]`);
    await row.locator('[data-testid=flag-badge][data-kind=coordinated]').waitFor({ timeout: 30_000 });
    expect(await page.evaluate(() => (window as unknown as { tagwatchMarker?: number }).tagwatchMarker)).toBe(42);
    expect(Number(await row.locator('[data-testid=sparkline]').getAttribute('data-points'))).toBeGreaterThan(0);
    await page.screenshot({ path: join(ARTIFACTS, 'web-board.png'), fullPage: true });

    await row.locator('[data-testid=tag-link]').click();
    await expect.poll(() => page.textContent('[data-testid=tag-title]')).toBe(`#${TAG}`);
    const activity = page.locator('[data-testid=chart-activity]');
    await activity.locator('canvas').waitFor();
    await expect.poll(async () => Number(await activity.getAttribute('data-points'))).toBeGreaterThan(10);
    expect(Number(await page.locator('[data-testid=chart-velocity]').getAttribute('data-points'))).toBeGreaterThan(10);
    expect(await paintedPixels(page, '[data-testid=chart-activity] canvas')).toBeGreaterThan(500);
    expect(await paintedPixels(page, '[data-testid=chart-velocity] canvas')).toBeGreaterThan(500);

    const coordinated = page.locator('[data-testid=flag-item]').filter({ has: page.locator('[data-kind=coordinated]') }).first();
    await coordinated.locator(':scope > summary').waitFor();
    if ((await coordinated.getAttribute('open')) === null) await coordinated.locator(':scope > summary').click();
    // The flag list refreshes live while the demo runs: wait for the state, not a snapshot of it.
    await expect.poll(() => coordinated.locator('[data-testid=account-row]').count()).toBeGreaterThan(1);
    await expect.poll(() => coordinated.locator('[data-testid=sample-post]').count()).toBeGreaterThan(0);
    await page.locator('[data-testid=first-posters] li').first().waitFor();
    expect(await page.locator('[data-testid=first-posters] li').count()).toBe(10);
    await page.screenshot({ path: join(ARTIFACTS, 'web-tag.png'), fullPage: true });

    await page.goto(`${base}/#/alerts?kind=coordinated`);
    await page.locator(`[data-testid=alert][data-tag="${TAG}"]`).first().waitFor();
    expect(await page.locator('[data-testid=alert]:not([data-kind=coordinated])').count()).toBe(0);
    await page.screenshot({ path: join(ARTIFACTS, 'web-alerts.png'), fullPage: true });
    expect(pageErrors).toEqual([]);

    // Ctrl-C: the demo drains, closes the web server and the store, and exits 0.
    demo.child.kill('SIGINT');
    expect(await demo.exit, demo.stderr()).toBe(0);
  });
});

/** A store that holds nothing yet: the UI must say so rather than show an empty table. */
function emptyModel(): ReadModel {
  return {
    topTags: async (q) => ({ at: null, windowMinutes: q.windowMinutes, rank: q.rank, tags: [] }),
    series: async () => null,
    flags: async () => [],
    flag: async () => null,
    evidence: async () => ({ accounts: [], samplePosts: [] }),
    spread: async () => null,
    flagsSince: async () => [],
    minutesSince: async () => [],
    status: async () => ({ latestMinute: null, latestFlag: null }),
    ping: async () => undefined,
  };
}

describe('web UI states in headless Chromium', () => {
  it('asks for the token, then shows live and "no data yet" honestly', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tagwatch-browser-'));
    const token = 'browser-test-token-0123456789';
    const server = new WebServer({ options: WebOptionsSchema.parse({ address: '127.0.0.1:0', token }), model: emptyModel(), log: silentLogger() });
    const context = await chromium.launchPersistentContext(join(dir, 'chromium-profile'), { executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
    try {
      const base = await server.listen();
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (err) => errors.push(err.message));
      page.on('console', (m) => {
        if (/Content Security Policy/.test(m.text())) errors.push(m.text());
      });
      await page.goto(`${base}/`);
      await expect.poll(() => page.textContent('[data-testid=live-status]')).toBe('token needed');
      await page.fill('[data-testid=token-input]', token);
      await page.press('[data-testid=token-input]', 'Enter');
      await expect.poll(() => page.textContent('[data-testid=live-status]')).toBe('live');
      await expect.poll(() => page.textContent('[data-testid=board-state]')).toMatch(/No data yet/);
      expect(await page.textContent('[data-testid=recent-flags]')).toMatch(/No flag yet/);
      await page.goto(`${base}/#/tag/nothingyet`);
      await expect.poll(() => page.textContent('[data-testid=series-state]')).toBe('No data yet for #nothingyet.');
      await page.goto(`${base}/#/alerts`);
      await expect.poll(() => page.textContent('[data-testid=alerts-state]')).toMatch(/No flag yet/);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
      await server.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
