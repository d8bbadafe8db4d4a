export { scoreDetections, quantile } from './detection-scoring.ts';
export { unmetThresholds, assertThresholds } from './threshold-check.ts';
export { formatReportText } from './report-format.ts';
export { firstDetectedAt, latestEvalFlags } from './flag-records.ts';
export { readEvalFlags } from './flags-reader.ts';
export { readTruthFile } from './truth-file.ts';
export { EvalOptionsSchema, EvalThresholdsSchema, type EvalOptions, type EvalThresholds } from './options.ts';
export type { EvalFlag, EvalTruth, EvalReport, CampaignResult, HardCaseResult } from './types.ts';
export { evaluateOnSimulation, type OfflineEvaluation } from './offline-evaluation.ts';
