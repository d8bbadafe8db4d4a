import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../src/log/index.ts';
import { ClickHouseReadModel, WebOptionsSchema, WebServer } from '../../../src/web/index.ts';
import { startSimulatedPipeline, type SimulatedPipeline } from './simulated-store.ts';

const ARTIFACTS = join(import.meta.dirname, '../../../test-artifacts');
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

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

describe('web UI in headless Chromium during a simulated replay', () => {
  let pipeline: SimulatedPipeline;
  let server: WebServer;
  let base: string;
  let profile: string;
  let context: BrowserContext;
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    pipeline = await startSimulatedPipeline();
    server = new WebServer({
      options: WebOptionsSchema.parse({ address: '127.0.0.1:0' }),
      model: new ClickHouseReadModel(pipeline.runtime.store),
      live: pipeline.runtime.live,
      log: silentLogger(),
    });
    base = await server.listen();
    profile = await mkdtemp(join(tmpdir(), 'tagwatch-chromium-'));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: '/usr/bin/chromium',
      args: CHROMIUM_ARGS,
      viewport: { width: 1280, height: 900 },
    });
    page = await context.newPage();
    page.on('pageerror', (err) => pageErrors.push(err.message));
    page.on('console', (message) => {
      if (message.type() === 'error' || /Content Security Policy/.test(message.text())) pageErrors.push(message.text());
    });
    await mkdir(ARTIFACTS, { recursive: true });
  });

  afterAll(async () => {
    await context?.close();
    await server?.close();
    await pipeline?.close();
    if (profile !== undefined) await rm(profile, { recursive: true, force: true });
  });

  it('shows a flagged tag appear on the board without reloading, then its page with charts and evidence', async () => {
    await page.goto(`${base}/#/?rank=coordination&window=60`);
    await expect.poll(() => page.textContent('[data-testid=live-status]')).toBe('live');
    expect(await page.textContent('[data-testid=board-state]')).toMatch(/No data yet/);
    // A marker on the window: if the page reloaded, it would be gone.
    await page.evaluate(() => {
      (window as unknown as { tagwatchMarker: number }).tagwatchMarker = 42;
    });

    // The board is watched while the replay runs: the flagged row must arrive through the live feed.
    const [truth] = await Promise.all([
      pipeline.play(200),
      page.locator('[data-testid=board-row] [data-testid=flag-badge][data-kind=coordinated]').first().waitFor({ timeout: 120_000 }),
    ]);
    const campaignTag = truth.campaigns[0]?.tag as string;
    const row = page.locator(`[data-testid=board-row][data-tag="${campaignTag}"]`);
    await row.locator('[data-testid=flag-badge][data-kind=coordinated]').waitFor();
    await page.locator(`[data-testid=recent-flag][data-tag="${campaignTag}"]`).first().waitFor();
    expect(await page.evaluate(() => (window as unknown as { tagwatchMarker?: number }).tagwatchMarker)).toBe(42);
    expect(Number(await row.locator('[data-testid=sparkline]').getAttribute('data-points'))).toBeGreaterThan(0);
    await page.screenshot({ path: join(ARTIFACTS, 'web-board.png'), fullPage: true });

    await row.locator('[data-testid=tag-link]').click();
    await expect.poll(() => page.textContent('[data-testid=tag-title]')).toBe(`#${campaignTag}`);
    const activity = page.locator('[data-testid=chart-activity]');
    await activity.locator('canvas').waitFor();
    expect(Number(await activity.getAttribute('data-points'))).toBeGreaterThan(10);
    expect(Number(await page.locator('[data-testid=chart-velocity]').getAttribute('data-points'))).toBeGreaterThan(10);
    expect(await paintedPixels(page, '[data-testid=chart-activity] canvas')).toBeGreaterThan(500);
    expect(await paintedPixels(page, '[data-testid=chart-velocity] canvas')).toBeGreaterThan(500);

    const evidence = page.locator('[data-testid=flag-item][open] [data-testid=evidence]');
    await evidence.locator('[data-testid=account-row]').first().waitFor();
    const members = new Set(truth.campaigns[0]?.members);
    const accounts = await evidence.locator('[data-testid=account-row] td:first-child').allTextContents();
    expect(accounts.length).toBeGreaterThan(5);
    expect(accounts.filter((a) => members.has(a)).length).toBeGreaterThan(accounts.length / 2);
    expect(await evidence.locator('[data-testid=sample-post]').count()).toBeGreaterThan(0);
    await page.locator('[data-testid=first-posters] li').first().waitFor();
    expect(await page.locator('[data-testid=first-posters] li').count()).toBe(10);
    await page.screenshot({ path: join(ARTIFACTS, 'web-tag.png'), fullPage: true });

    await page.goto(`${base}/#/alerts?kind=coordinated`);
    await page.locator(`[data-testid=alert][data-tag="${campaignTag}"]`).first().waitFor();
    expect(await page.locator('[data-testid=alert]:not([data-kind=coordinated])').count()).toBe(0);
    await page.screenshot({ path: join(ARTIFACTS, 'web-alerts.png'), fullPage: true });

    expect(pageErrors).toEqual([]);
  });
});
