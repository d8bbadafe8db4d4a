import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import type { Truth } from '../../../src/sim/index.ts';
import { grafanaSql, type GrafanaQueryContext } from './grafana-macros.ts';
import { startSimulatedPipeline, type SimulatedPipeline } from './simulated-store.ts';

const DASHBOARDS = join(import.meta.dirname, '../../../dashboards');
const PLUGIN = 'grafana-clickhouse-datasource';

const TargetSchema = z.object({
  refId: z.string(),
  datasource: z.object({ type: z.literal(PLUGIN), uid: z.string() }),
  editorType: z.literal('sql'),
  // The plugin's format is numeric: 0 time series, 1 table.
  format: z.union([z.literal(0), z.literal(1)]),
  rawSql: z.string().min(1),
});
const PanelSchema = z.object({ id: z.number(), title: z.string().min(1), type: z.string(), targets: z.array(TargetSchema).min(1) });
const DashboardSchema = z.object({
  uid: z.string(),
  title: z.string(),
  panels: z.array(PanelSchema).min(1),
  templating: z.object({ list: z.array(z.object({ name: z.string(), type: z.string(), query: z.string().optional() })) }),
  annotations: z.object({ list: z.array(z.object({ name: z.string(), target: TargetSchema.optional() })) }),
});
type Dashboard = z.output<typeof DashboardSchema>;

/** Dashboards whose time axis is wall-clock storage time rather than event time. */
const WALL_CLOCK_DASHBOARDS = new Set(['tagwatch-pipeline']);

async function loadDashboards(): Promise<Array<{ file: string; dashboard: Dashboard }>> {
  const files = (await readdir(DASHBOARDS)).filter((f) => f.endsWith('.json')).sort();
  return Promise.all(files.map(async (file) => ({ file, dashboard: DashboardSchema.parse(JSON.parse(await readFile(join(DASHBOARDS, file), 'utf8'))) })));
}

describe('Grafana dashboards against the embedded store', () => {
  let pipeline: SimulatedPipeline;
  let truth: Truth;
  let eventRange: { from: number; to: number };
  let wallRange: { from: number; to: number };

  beforeAll(async () => {
    pipeline = await startSimulatedPipeline();
    truth = await pipeline.play();
    const [extent] = await pipeline.runtime.store.query<{ a: number; b: number; c: number }>(
      'SELECT toUnixTimestamp64Milli(min(created_at)) AS a, toUnixTimestamp64Milli(max(created_at)) AS b, toUnixTimestamp64Milli(min(ingested_at)) AS c FROM posts',
    );
    if (extent === undefined) throw new Error('empty store');
    eventRange = { from: extent.a, to: extent.b + 60_000 };
    wallRange = { from: extent.c - 60_000, to: Date.now() + 60_000 };
  });

  afterAll(async () => {
    await pipeline?.close();
  });

  it('provisions the ClickHouse plugin under the uid every dashboard uses, and loads the dashboards folder', async () => {
    const ds = parseYaml(await readFile(join(DASHBOARDS, 'provisioning/datasources/tagwatch-clickhouse.yaml'), 'utf8')) as {
      datasources: Array<{ type: string; uid: string; jsonData: Record<string, unknown> }>;
    };
    const source = ds.datasources[0];
    expect(source?.type).toBe(PLUGIN);
    expect(source?.jsonData['protocol']).toBe('native');
    const provider = parseYaml(await readFile(join(DASHBOARDS, 'provisioning/dashboards/tagwatch.yaml'), 'utf8')) as {
      providers: Array<{ type: string; options: { path: string } }>;
    };
    expect(provider.providers[0]?.options.path).toBe('/var/lib/grafana/dashboards/tagwatch');
    const dashboards = await loadDashboards();
    expect(dashboards.map((d) => d.dashboard.uid).sort()).toEqual(['tagwatch-flags', 'tagwatch-pipeline', 'tagwatch-tag', 'tagwatch-trends']);
    for (const { dashboard } of dashboards) {
      for (const panel of dashboard.panels) for (const target of panel.targets) expect(target.datasource.uid).toBe(source?.uid);
    }
  });

  it('runs every panel, variable and annotation query with the macros expanded, and each returns rows', async () => {
    // A drill-down is checked with the tag Grafana selects by default (the first option: the
    // busiest tag), the campaign's flagged tag and the busiest tag posted together with others:
    // each panel must run without error for all, and return rows for at least one (an organic tag
    // has no flag, a campaign's or a news story's tag may co-occur with no other tag).
    const [flagged] = await pipeline.runtime.store.query<{ tag: string }>(
      'SELECT tag FROM flags GROUP BY tag ORDER BY tag = {campaign:String} DESC, count() DESC, tag LIMIT 1',
      { campaign: truth.campaigns[0]?.tag ?? '' },
    );
    expect(flagged?.tag, 'a flagged tag').toBeDefined();
    const [sociable] = await pipeline.runtime.store.query<{ tag: string }>(
      'SELECT t AS tag FROM posts ARRAY JOIN tags AS t WHERE length(tags) > 1 GROUP BY t ORDER BY count() DESC, t LIMIT 1',
    );
    expect(sociable?.tag, 'a tag posted together with others').toBeDefined();
    const failures: string[] = [];
    let queries = 0;
    for (const { file, dashboard } of await loadDashboards()) {
      const range = WALL_CLOCK_DASHBOARDS.has(dashboard.uid) ? wallRange : eventRange;
      // Grafana's interval: the range over the panel's max data points (about its width in pixels).
      const ctx: GrafanaQueryContext = { ...range, intervalMs: Math.max(1_000, (range.to - range.from) / 1_000), variables: {} };
      let variableSets: Array<Record<string, string>> = [{}];
      for (const variable of dashboard.templating.list) {
        expect(variable.type, `${file} $${variable.name}`).toBe('query');
        const rows = await pipeline.runtime.store.query<Record<string, string>>(grafanaSql(variable.query ?? '', ctx));
        queries++;
        const options = rows.map((r) => String(Object.values(r)[0]));
        expect(options.length, `${file} $${variable.name} options`).toBeGreaterThan(1);
        expect(options, `${file} $${variable.name} options`).toContain(flagged?.tag);
        expect(options, `${file} $${variable.name} options`).toContain(sociable?.tag);
        const values = [...new Set([options[0] as string, flagged?.tag as string, sociable?.tag as string])];
        variableSets = variableSets.flatMap((set) => values.map((value) => ({ ...set, [variable.name]: value })));
      }
      const targets = [
        ...dashboard.panels.flatMap((p) => p.targets.map((t) => ({ what: `panel "${p.title}"`, target: t }))),
        ...dashboard.annotations.list.flatMap((a) => (a.target === undefined ? [] : [{ what: `annotation "${a.name}"`, target: a.target }])),
      ];
      for (const { what, target } of targets) {
        let rowsSeen = 0;
        for (const variables of variableSets) {
          queries++;
          const sql = grafanaSql(target.rawSql, { ...ctx, variables });
          try {
            const rows = await pipeline.runtime.store.query<Record<string, unknown>>(sql);
            rowsSeen += rows.length;
            if (rows.length > 0 && target.format === 0 && !('time' in (rows[0] as object))) failures.push(`${file} ${what}: time series without a time column`);
          } catch (err) {
            failures.push(`${file} ${what} ${JSON.stringify(variables)}: ${err instanceof Error ? err.message : String(err)}`);
          }
        }
        if (rowsSeen === 0) failures.push(`${file} ${what}: no rows for ${JSON.stringify(variableSets)}`);
      }
    }
    expect(failures).toEqual([]);
    expect(queries).toBeGreaterThan(25);
  });
});
