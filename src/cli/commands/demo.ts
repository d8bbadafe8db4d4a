import { existsSync } from 'node:fs';
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Command } from 'commander';
import { collectorOutput } from '../../collectors/collector-output.ts';
import { ReplayCollector, ReplayOptionsSchema, parseReplaySpeed } from '../../collectors/replay/index.ts';
import { ErrorCodes, TagwatchError } from '../../errors/index.ts';
import { moduleLogger } from '../../log/index.ts';
import { openPipeline } from '../../runtime/index.ts';
import { macronleaksScenario, writeSimulation } from '../../sim/index.ts';
import { abortOnShutdownSignals } from '../shutdown-signals.ts';
import { TerminalView } from '../terminal-view.ts';
import { configFromFlags, flushLogs } from './common-options.ts';

interface DemoFlags {
  store: string;
  seed: string;
  scale: string;
  speed: string;
  config?: string;
  logLevel?: string;
  web: boolean;
  webAddress?: string;
  wait: boolean;
}

/** Marks a directory as the demo's own, so it may be wiped for a fresh run. */
const DEMO_MARKER = '.tagwatch-demo';

export function registerDemoCommand(program: Command): void {
  program
    .command('demo')
    .description('simulate a #MacronLeaks-like evening (5 May 2017) and replay it at speed, with a live view')
    .option('--store <dir>', 'demo store directory (wiped at start if it is a previous demo store)', './tagwatch-demo')
    .option('--seed <n>', 'simulation seed', '2017')
    .option('--scale <x>', 'volume factor of the published figures (1 = ~150,000 posts of the tag)', '0.1')
    .option('--speed <n|max>', 'event-time speed-up', '600')
    .option('-c, --config <file>', 'configuration file (alert subscribers, web address…)')
    .option('--log-level <level>', 'log level', 'warn')
    .option('--no-web', 'do not serve the web UI')
    .option('--web-address <host:port>', 'where the web UI listens (overrides web.address)')
    .option('--no-wait', 'exit when the scenario ends instead of serving the web UI until Ctrl-C')
    .action(async (flags: DemoFlags) => {
      const storeDir = resolve(flags.store);
      await prepareDemoDir(storeDir);
      const overrides = flags.webAddress === undefined ? {} : { web: { address: flags.webAddress } };
      const { config, log } = await configFromFlags({ ...flags, store: join(storeDir, 'store') }, overrides);
      const shutdown = abortOnShutdownSignals(log);
      const seed = Number(flags.seed);
      const scale = Number(flags.scale);
      if (!Number.isInteger(seed) || !(scale > 0)) {
        throw new TagwatchError(ErrorCodes.USAGE, `--seed must be an integer and --scale positive (got ${flags.seed}, ${flags.scale})`);
      }
      const file = join(storeDir, 'macronleaks.jsonl');
      process.stderr.write(`simulating the #MacronLeaks evening (seed ${seed}, scale ${scale})…\n`);
      const simulated = await writeSimulation(macronleaksScenario(seed, { scale }), file, join(storeDir, 'truth.json'));
      process.stderr.write(`${simulated.posts} posts by ${simulated.accounts} accounts; replaying at ${flags.speed}× into ${storeDir}\n`);

      const pipeline = await openPipeline(config, log, { live: true, web: flags.web });
      if (pipeline.webUrl !== undefined) process.stderr.write(`web UI: ${pipeline.webUrl}\n`);
      const started = Date.now();
      const collector = new ReplayCollector(ReplayOptionsSchema.parse({ file, speed: parseReplaySpeed(flags.speed) }), moduleLogger(log, 'replay'));
      const live = pipeline.live;
      const view =
        live === undefined
          ? undefined
          : new TerminalView(live, process.stdout, () => {
              const s = collector.stats();
              const seconds = Math.max((Date.now() - started) / 1000, 0.001);
              return `${s.posts} posts replayed (${Math.round(s.posts / seconds)}/s)`;
            });
      view?.start();
      try {
        await collector.run(collectorOutput(pipeline.producer), shutdown.signal);
        if (!shutdown.signal.aborted) await pipeline.finish();
        view?.close();
        const accepted = pipeline.figures()?.accepted ?? 0;
        const fired = live?.recentFlags(1_000) ?? [];
        process.stderr.write(
          `demo ${shutdown.signal.aborted ? 'stopped' : 'finished'}: ${accepted} posts stored, ` +
            `${fired.filter((f) => f.kind === 'burst').length} burst and ${fired.filter((f) => f.kind === 'coordinated').length} coordinated flags. ` +
            `Explore: npx tagwatch sql --store ${join(storeDir, 'store')} "SELECT * FROM flags"\n`,
        );
        if (pipeline.webUrl !== undefined && flags.wait && !shutdown.signal.aborted) {
          process.stderr.write(`web UI still serving at ${pipeline.webUrl} — Ctrl-C to exit\n`);
          await new Promise<void>((resolve) => shutdown.signal.addEventListener('abort', () => resolve(), { once: true }));
        }
      } finally {
        view?.close();
        await pipeline.close();
        shutdown.dispose();
        await flushLogs(log);
      }
    });
}

/** Creates the demo directory, or empties it when an earlier demo made it; refuses any other non-empty directory. */
async function prepareDemoDir(dir: string): Promise<void> {
  if (existsSync(dir)) {
    const entries = await readdir(dir);
    if (entries.length > 0 && !entries.includes(DEMO_MARKER)) {
      throw new TagwatchError(ErrorCodes.USAGE, `${dir} is not empty and not a tagwatch demo directory; choose another --store`);
    }
    await rm(dir, { recursive: true, force: true });
  }
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, DEMO_MARKER), 'created by `tagwatch demo`; removed and recreated by the next demo run\n');
}
