export { EmbeddedPipeline } from './embedded-pipeline.ts';
export { PipelineOptionsSchema, type PipelineOptions } from './options.ts';
