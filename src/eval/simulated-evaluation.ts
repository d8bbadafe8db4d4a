import { CoordinationDetector, type CoordinationOptions } from '../stream/coordination/index.ts';
import { evaluateOnSimulation } from './offline-evaluation.ts';
import { SimulatedEvalOptionsSchema, type EvalThresholds, type SimulatedEvalOptions } from './options.ts';
import { poolReports } from './pooled-report.ts';
import type { EvalReport, PooledReport } from './types.ts';

/** One seed done: its report and what it cost. */
export interface SimulatedSeedProgress {
  seed: number;
  /** 1-based position of the seed in the list. */
  index: number;
  total: number;
  report: EvalReport;
  posts: number;
  elapsedMs: number;
}

/** The result of `eval --simulate`: the pooled report, with the span each seed simulated. */
export type SimulatedEvaluation = PooledReport & { hours: number };

/**
 * The detection targets measured over many seeds: for each seed, a fresh simulation of `hours` (the
 * default scenario) run straight through a fresh `CoordinationDetector` with the configured
 * options (`evaluateOnSimulation`, no pipeline, no store), then the reports pooled.
 * Seeds run one after the other; the event loop gets a turn between them, so progress is written
 * and a signal handled while a long list runs.
 */
export async function evaluateSimulatedSeeds(
  options: Partial<SimulatedEvalOptions> & Pick<SimulatedEvalOptions, 'seeds'>,
  coordination: CoordinationOptions,
  targets: EvalThresholds,
  onSeed?: (progress: SimulatedSeedProgress) => void,
): Promise<SimulatedEvaluation> {
  const { seeds, hours } = SimulatedEvalOptionsSchema.parse(options);
  const reports: EvalReport[] = [];
  for (const [i, seed] of seeds.entries()) {
    await new Promise<void>((resolve) => setImmediate(resolve));
    const began = performance.now();
    const { report, posts } = evaluateOnSimulation({ seed, hours }, new CoordinationDetector(coordination));
    reports.push(report);
    onSeed?.({ seed, index: i + 1, total: seeds.length, report, posts, elapsedMs: performance.now() - began });
  }
  return { hours, ...poolReports(reports, targets) };
}
