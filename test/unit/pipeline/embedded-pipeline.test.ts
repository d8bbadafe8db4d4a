import { describe, expect, it } from 'vitest';
import { Streams, type BusRecord, type Producer, type RecordBatch, type Stage, type StreamName } from '../../../src/bus/index.ts';
import { ErrorCodes, ExternalError } from '../../../src/errors/index.ts';
import { silentLogger } from '../../../src/log/index.ts';
import { EmbeddedPipeline, PipelineOptionsSchema } from '../../../src/pipeline/index.ts';

/** Forwards every tag event to `metrics` as-is; optionally fails, and buffers one record until flush. */
class RelayStage implements Stage {
  readonly name = 'relay';
  readonly inputs: readonly StreamName[] = [Streams.tagEvents];
  failures: Array<'retriable' | 'fatal'> = [];
  held: BusRecord[] = [];
  closed = 0;
  async process(batch: RecordBatch, out: Producer): Promise<void> {
    const failure = this.failures.shift();
    if (failure === 'retriable') throw new ExternalError(ErrorCodes.STORE_UNAVAILABLE, 'busy', { retriable: true });
    if (failure === 'fatal') throw new Error('cannot handle this batch');
    this.held.push(...batch.records);
    const release = this.held.splice(0, this.held.length - 1);
    await out.send(Streams.metrics, release as never);
  }
  async flush(out: Producer): Promise<void> {
    await out.send(Streams.metrics, this.held.splice(0) as never);
  }
  async close(): Promise<void> {
    this.closed++;
  }
}

class CollectStage implements Stage {
  readonly name: string;
  readonly inputs: readonly StreamName[];
  readonly seen: Array<[StreamName, string]> = [];
  constructor(name: string, inputs: StreamName[]) {
    this.name = name;
    this.inputs = inputs;
  }
  async process(batch: RecordBatch): Promise<void> {
    for (const r of batch.records) this.seen.push([batch.stream, r.key]);
  }
  async close(): Promise<void> {}
}

const options = PipelineOptionsSchema.parse({ queueCapacity: 4, batchSize: 3, retryInitialMs: 1, retryMaxMs: 2 });
const events = (n: number): BusRecord<'tag-events'>[] =>
  Array.from({ length: n }, (_, i) => ({ key: `t${i}`, value: { tag: `t${i}`, display: `t${i}`, post: {} as never } }));

describe('EmbeddedPipeline', () => {
  it('moves records through stages in order, flushes buffered state, and closes stages once', async () => {
    const relay = new RelayStage();
    const sink = new CollectStage('sink', [Streams.metrics]);
    const pipeline = new EmbeddedPipeline(options, silentLogger()).add(relay).add(sink);
    pipeline.start();
    await pipeline.send(Streams.tagEvents, events(10));
    await pipeline.flush(true);
    expect(sink.seen.map(([, k]) => k)).toEqual(events(10).map((r) => r.key));
    await pipeline.close();
    await pipeline.close();
    expect(relay.closed).toBe(1);
    await expect(pipeline.send(Streams.tagEvents, events(1))).rejects.toThrow(/closed/);
  });

  it('fans a stream out to every stage that reads it', async () => {
    const a = new CollectStage('a', [Streams.flags]);
    const b = new CollectStage('b', [Streams.flags, Streams.deadLetters]);
    const pipeline = new EmbeddedPipeline(options, silentLogger()).add(a).add(b);
    pipeline.start();
    await pipeline.send(Streams.flags, [{ key: 'f', value: {} as never }]);
    await pipeline.drain();
    expect(a.seen).toEqual([[Streams.flags, 'f']]);
    expect(b.seen).toEqual([[Streams.flags, 'f']]);
    await pipeline.close();
  });

  it('retries a batch on a retriable error and dead-letters it on a fatal one', async () => {
    const relay = new RelayStage();
    relay.failures = ['retriable', 'retriable', 'fatal'];
    const sink = new CollectStage('sink', [Streams.metrics, Streams.deadLetters]);
    const pipeline = new EmbeddedPipeline(PipelineOptionsSchema.parse({ ...options, batchSize: 2 }), silentLogger()).add(relay).add(sink);
    pipeline.start();
    await pipeline.send(Streams.tagEvents, events(2));
    await pipeline.drain();
    // Two retriable failures, then a fatal one on the same batch: both records are dead-lettered, none lost.
    expect(sink.seen).toEqual([
      [Streams.deadLetters, 't0'],
      [Streams.deadLetters, 't1'],
    ]);
    await pipeline.close();
  });
});
