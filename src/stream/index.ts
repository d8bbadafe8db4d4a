export { AnalyzeStage, type AnalyzeStageSettings, type DetectorSource } from './analyze-stage.ts';
export { BurstDetector } from './burst-detector.ts';
export type { TagDetector } from './detector.ts';
export {
  AnalyzeOptionsSchema,
  VelocityOptionsSchema,
  BurstOptionsSchema,
  PriorOptionsSchema,
  SpreadOptionsSchema,
  type AnalyzeOptions,
  type AnalyzeOptionsInput,
} from './options.ts';
export { flagId } from './flag-id.ts';
export { gini, topShare } from './author-distribution.ts';
export { structuralVirality, type CascadeFigures } from './cascade-forest.ts';
export { STAGE_STATE_KEY, CHECKPOINT_VERSION } from './checkpoint.ts';
export type { FirstPoster, RollingSpread } from './tag-spread.ts';
export type { AnalyzeFigures, BurstInputs, StateSource, TagMetricsReader, TagView, VelocityView } from './types.ts';
