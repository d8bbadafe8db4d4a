export { EmbeddedRuntime, type EmbeddedRuntimeSettings } from './embedded-runtime.ts';
export { openPipeline, type PipelineHandle, type PipelineFigures, type OpenPipelineSettings } from './pipeline-handle.ts';
export { Roles, parseRoles, isEveryRole, type Role } from './roles.ts';
export { createAnalyzeStage, type AnalyzeStage } from './analyze-factory.ts';
export { startService, type Service } from './service.ts';
export { KafkaRuntime } from './kafka-runtime.ts';
