import type { Logger } from 'pino';
import type { Config } from '../config/index.ts';
import type { Store } from '../store/index.ts';
import { AnalyzeStage } from '../stream/index.ts';
import { CoordinationDetector } from '../stream/coordination/index.ts';

export type { AnalyzeStage };

/**
 * The analyze stage with every detector: burst (built in) and coordination. A service restores
 * its checkpoints from the store, so a restart does not start cold. A replay does not: it is a
 * stream of its own, and replaying a file again must recompute the same rows, not count every
 * post again as late.
 *
 * Periodic checkpoints (`analyze.checkpointIntervalMs`) exist for that restart, so only a stage
 * that restores from the store takes them. Without a store nothing would ever read them: a
 * replay starts fresh (its flushes still checkpoint every tag at the end, or at an interrupted
 * shutdown), and a Kafka worker checkpoints at each commit. At replay speed they cost more than
 * the analysis itself (every active tag's state, serialized and stored, every 10 event-minutes).
 */
export async function createAnalyzeStage(
  config: Config,
  store: Store | undefined,
  log: Logger,
  clock: 'event-time' | 'source' = 'event-time',
): Promise<AnalyzeStage> {
  const detectors = [new CoordinationDetector(config.coordination)];
  const options = store === undefined ? { ...config.analyze, checkpointIntervalMs: 0 } : config.analyze;
  // In Kafka mode the clock is the watermark relayed from every upstream partition (min over
  // producers), so several ingest workers' interleavings cannot change an output.
  const stage = new AnalyzeStage(options, detectors, { log, watermark: clock });
  if (store !== undefined) {
    const restored = await stage.restore(store.tagStates());
    log.info({ restored }, 'analyze state restored from the store');
  }
  return stage;
}
