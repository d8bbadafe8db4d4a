import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/config/index.ts';
import { silentLogger } from '../../../src/log/index.ts';
import { createAnalyzeStage } from '../../../src/runtime/analyze-factory.ts';
import { AnalyzeStage } from '../../../src/stream/index.ts';
import { feed, RecordingProducer, syntheticStream } from './stream-fixtures.ts';

const stream = syntheticStream({ seed: 31, minutes: 40, tags: 12 });

describe('analyze checkpoint policy', () => {
  it('re-emits nothing at the shutdown flush that follows the final flush of a replay', async () => {
    const stage = new AnalyzeStage();
    const out = new RecordingProducer();
    await feed(stage, out, stream, 100);
    const afterFinal = out.values('analyze-state').length;
    expect(afterFinal).toBeGreaterThan(0);
    await stage.flush(out, false);
    expect(out.values('analyze-state').length).toBe(afterFinal);
    // …but a shutdown after more input checkpoints every tag again.
    await stage.process({ stream: 'tag-events', partition: 0, records: stream.slice(0, 1).map((e) => ({ key: e.tag, value: e })) }, out);
    await stage.flush(out, false);
    expect(out.values('analyze-state').length - afterFinal).toBeGreaterThanOrEqual(stage.figures().liveTags);
  });

  it('takes periodic checkpoints only in a stage that restores from the store', async () => {
    const config = parseConfig({});
    const replay = await createAnalyzeStage(config, undefined, silentLogger());
    expect(replay.options.checkpointIntervalMs).toBe(0);
    expect(config.analyze.checkpointIntervalMs).toBeGreaterThan(0);
    // Same rows and flags with or without the periodic checkpoints.
    const periodic = new RecordingProducer();
    await feed(new AnalyzeStage(config.analyze), periodic, stream, 100);
    const none = new RecordingProducer();
    await feed(new AnalyzeStage({ ...config.analyze, checkpointIntervalMs: 0 }), none, stream, 100);
    expect(none.metrics).toEqual(periodic.metrics);
    expect(none.flags).toEqual(periodic.flags);
    expect(none.values('analyze-state').length).toBeLessThan(periodic.values('analyze-state').length);
  });
});
