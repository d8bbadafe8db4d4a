export { Streams, type StreamName, type StreamValues, type BusRecord, type RecordBatch, type Producer, type Stage, type TagStateSnapshot } from './types.ts';
export { BoundedQueue } from './bounded-queue.ts';
export { InProcessBus } from './in-process-bus.ts';
