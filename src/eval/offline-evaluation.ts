import { FlagKinds, PostSchema, toPost, type Flag } from '../model/index.ts';
import { Simulation, type SimOptionsInput, type Truth } from '../sim/index.ts';
import type { TagDetector } from '../stream/detector.ts';
import { scoreDetections } from './detection-scoring.ts';
import { latestEvalFlags } from './flag-records.ts';
import type { EvalReport } from './types.ts';

export interface OfflineEvaluation {
  report: EvalReport;
  truth: Truth;
  /** Every flag emitted, every revision, in emission order. */
  flags: Flag[];
  posts: number;
  tagEvents: number;
}

const MINUTE_MS = 60_000;

/**
 * Runs a detector straight over a simulated stream, without a pipeline or a store: posts in event
 * order, converted with `toPost`, fanned out per tag, the tag's clock advanced at minute
 * boundaries as the analyze stage does. For quick tuning loops; the integration test runs the
 * real pipeline.
 */
export function evaluateOnSimulation(sim: SimOptionsInput, detector: TagDetector): OfflineEvaluation {
  const simulation = new Simulation(sim);
  const flags: Flag[] = [];
  const nextTick = new Map<string, number>();
  let posts = 0;
  let tagEvents = 0;
  for (const input of simulation.posts()) {
    const post = toPost(PostSchema.parse(input));
    posts++;
    post.tags.forEach((tag, i) => {
      tagEvents++;
      let tick = nextTick.get(tag) ?? (Math.floor(post.ts / MINUTE_MS) + 1) * MINUTE_MS;
      if (tick <= post.ts) {
        flags.push(...detector.advance(tag, Math.floor(post.ts / MINUTE_MS) * MINUTE_MS, undefined));
        tick = (Math.floor(post.ts / MINUTE_MS) + 1) * MINUTE_MS;
      }
      nextTick.set(tag, tick);
      flags.push(...detector.observe({ tag, display: post.tagDisplay[i] ?? tag, post }));
    });
  }
  for (const [tag, tick] of nextTick) flags.push(...detector.advance(tag, tick + 3_600_000, undefined));
  const truth = simulation.truth();
  const report = scoreDetections(truth, latestEvalFlags(flags.filter((f) => f.kind === FlagKinds.coordinated || f.kind === FlagKinds.spam)));
  return { report, truth, flags, posts, tagEvents };
}
