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
 */
export async function createAnalyzeStage(config: Config, store: Store | undefined, log: Logger): Promise<AnalyzeStage> {
  const detectors = [new CoordinationDetector(config.coordination)];
  const stage = new AnalyzeStage(config.analyze, detectors, { log });
  if (store !== undefined) {
    const restored = await stage.restore(store.tagStates());
    log.info({ restored }, 'analyze state restored from the store');
  }
  return stage;
}
