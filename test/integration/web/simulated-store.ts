import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { collectorOutput } from '../../../src/collectors/collector-output.ts';
import { parseConfig, type Config } from '../../../src/config/index.ts';
import { silentLogger } from '../../../src/log/index.ts';
import type { RawPost } from '../../../src/model/index.ts';
import { EmbeddedRuntime } from '../../../src/runtime/index.ts';
import { Simulation, type SimOptionsInput, type Truth } from '../../../src/sim/index.ts';

/**
 * A small seeded world for the web tests: an hour of background plus one copy-pasta campaign pushing an existing tag
 * and one breaking-news burst, so the store holds posts, minutes, burst and coordinated flags.
 */
export const WEB_SIM: SimOptionsInput = {
  seed: 11,
  hours: 1,
  ratePerMin: 60,
  hardCases: { breakingNews: { count: 1 }, celebrityRepost: { count: 0 }, liveEvent: { count: 0 }, loneSpammer: { count: 0 } },
  campaigns: { count: [1, 1], styles: ['copypasta'], freshTagShare: 0 },
};

/** Records that fail validation: each must end in `dead_letters`, never stop the stream. */
const BAD_RECORDS: RawPost[] = [
  { origin: 'web-test:bad-1', receivedAt: 0, post: { platform: 'sim', id: 'broken-1' } },
  { origin: 'web-test:bad-2', receivedAt: 0, post: 'not a post' },
];

export interface SimulatedPipeline {
  runtime: EmbeddedRuntime;
  dir: string;
  config: Config;
  /** Feeds the whole simulation into the pipeline (`batch` posts per send) and closes every window. */
  play(batch?: number, between?: () => Promise<void>): Promise<Truth>;
  close(): Promise<void>;
}

/** Starts the embedded runtime (ingest → analyze → live feed → sink) on a fresh store directory. */
export async function startSimulatedPipeline(sim: SimOptionsInput = WEB_SIM, extra: Record<string, unknown> = {}): Promise<SimulatedPipeline> {
  const dir = await mkdtemp(join(tmpdir(), 'tagwatch-web-'));
  const config = parseConfig({ log: { level: 'silent' }, store: { path: join(dir, 'store'), flushIntervalMs: 50 }, ...extra });
  const runtime = await EmbeddedRuntime.start(config, silentLogger(), { live: true });
  let closed = false;
  return {
    runtime,
    dir,
    config,
    async play(batch = 500, between) {
      const simulation = new Simulation(sim);
      const out = collectorOutput(runtime.producer);
      let pending: RawPost[] = [];
      let n = 0;
      for (const post of simulation.posts()) {
        pending.push({ origin: `sim:${n++}`, receivedAt: Date.now(), post });
        if (pending.length >= batch) {
          await out.posts(pending);
          pending = [];
          if (between !== undefined) await between();
        }
      }
      pending.push(...BAD_RECORDS.map((r) => ({ ...r, receivedAt: Date.now() })));
      await out.posts(pending);
      await runtime.finish();
      return simulation.truth();
    },
    async close() {
      if (closed) return;
      closed = true;
      await runtime.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
