import { describe, expect, it } from 'vitest';
import type { TagStateSnapshot } from '../../../src/bus/index.ts';
import type { TagEvent } from '../../../src/model/index.ts';
import { AnalyzeStage, type AnalyzeOptionsInput } from '../../../src/stream/index.ts';
import { feed, RecordingProducer, syntheticStream } from './stream-fixtures.ts';

const stream = syntheticStream({
  seed: 21,
  minutes: 150,
  tags: 30,
  bursts: [
    { tag: 'wave', fromMinute: 30, toMinute: 45, perMinute: 70 },
    { tag: 'wave', fromMinute: 90, toMinute: 100, perMinute: 90 },
    { tag: 'bg7', fromMinute: 60, toMinute: 75, perMinute: 50 },
  ],
});

async function* fromArray(snapshots: readonly TagStateSnapshot[]): AsyncGenerator<TagStateSnapshot> {
  // Through JSON, as the store and Kafka would carry them.
  for (const s of snapshots) yield JSON.parse(JSON.stringify(s)) as TagStateSnapshot;
}

/**
 * Rows as a sorted list of their JSON: contents must be identical; the order among tags within
 * one minute tick may differ (it follows which tag became active first), as it does across workers.
 */
function rows(values: readonly unknown[]): string[] {
  return values.map((v) => JSON.stringify(v)).sort();
}

async function uninterrupted(options: AnalyzeOptionsInput): Promise<RecordingProducer> {
  const out = new RecordingProducer();
  await feed(new AnalyzeStage(options), out, stream, 40);
  return out;
}

describe('AnalyzeStage restart from a checkpoint', () => {
  for (const cut of [0.2, 0.35, 0.5, 0.62]) {
    it(`shutdown at ${cut * 100}% of the stream and restore gives the uninterrupted output (no extra flags)`, async () => {
      const reference = await uninterrupted({});
      expect(reference.flags.length).toBeGreaterThan(2);
      const at = Math.floor(stream.length * cut);
      const first = new AnalyzeStage();
      const before = new RecordingProducer();
      await feed(first, before, stream.slice(0, at), 40, false);
      await first.flush(before, false);
      await first.close();

      const second = new AnalyzeStage({}, [], { state: fromArray(before.latestState()) });
      const after = new RecordingProducer();
      await feed(second, after, stream.slice(at), 40);
      expect(rows([...before.metrics, ...after.metrics])).toEqual(rows(reference.metrics));
      expect(rows([...before.flags, ...after.flags])).toEqual(rows(reference.flags));
    });
  }

  it('resumes from a commit-time checkpoint after a crash, discarding what followed it (Kafka mode)', async () => {
    const options = { checkpointIntervalMs: 0 };
    const reference = await uninterrupted(options);
    const batches: TagEvent[][] = [];
    for (let i = 0; i < stream.length; i += 40) batches.push(stream.slice(i, i + 40));
    const committedAt = Math.floor(batches.length * 0.45);
    const crashAt = Math.floor(batches.length * 0.6);

    const first = new AnalyzeStage(options);
    const committed = new RecordingProducer();
    for (const [i, batch] of batches.entries()) {
      if (i === crashAt) break;
      // Outputs after the last commit are aborted with the transaction: send them elsewhere.
      const sink = i < committedAt ? committed : new RecordingProducer();
      await first.process({ stream: 'tag-events', partition: 0, records: batch.map((e) => ({ key: e.tag, value: e })) }, sink);
      if (i === committedAt - 1) await first.checkpoint(committed);
    }

    const second = new AnalyzeStage(options);
    await second.restoreState(0, fromArray(committed.latestState()));
    const after = new RecordingProducer();
    await feed(second, after, batches.slice(committedAt).flat(), 40);
    expect(rows([...committed.metrics, ...after.metrics])).toEqual(rows(reference.metrics));
    expect(rows([...committed.flags, ...after.flags])).toEqual(rows(reference.flags));
  });

  it('after a restore, an established tag does not fire as if it were new', async () => {
    const first = new AnalyzeStage();
    const out = new RecordingProducer();
    await feed(first, out, stream.slice(0, Math.floor(stream.length / 3)), 100, false);
    await first.flush(out, false);
    expect(out.flags.map((f) => f.tag)).toEqual(['wave']);
    const second = new AnalyzeStage({}, [], { state: fromArray(out.latestState()) });
    const after = new RecordingProducer();
    // Resume later in the stream, after a gap: background tags must not look like bursts.
    const resumeFrom = stream.findIndex((e) => e.post.ts > (stream[Math.floor(stream.length / 3)]?.post.ts ?? 0) + 3 * 60_000);
    await feed(second, after, stream.slice(resumeFrom).filter((e) => e.tag !== 'wave' && e.tag !== 'bg7'), 100);
    // Only the closing update of the episode that was open at the checkpoint; nothing new fires.
    expect(after.flags.map((f) => [f.tag, f.revision])).toEqual([['wave', 1]]);
  });

  it('after hours without data, returning ordinary traffic is not a burst (downtime, resumed replay)', async () => {
    const quiet = syntheticStream({ seed: 22, minutes: 240, tags: 30 });
    const cut = quiet.findIndex((e) => e.post.ts >= quiet[0]!.post.ts + 100 * 60_000);
    const shift = 5 * 60 * 60_000;
    const resumed = quiet.slice(cut).map((e) => ({ ...e, post: { ...e.post, ts: e.post.ts + shift } }));
    // Restarted from a checkpoint after the downtime…
    const first = new AnalyzeStage();
    const out = new RecordingProducer();
    await feed(first, out, quiet.slice(0, cut), 100, false);
    await first.flush(out, false);
    const second = new AnalyzeStage({}, [], { state: fromArray(out.latestState()) });
    const after = new RecordingProducer();
    await feed(second, after, resumed, 100);
    expect(after.flags).toEqual([]);
    // …or the same process seeing the stream resume.
    const continuous = new RecordingProducer();
    await feed(new AnalyzeStage(), continuous, [...quiet.slice(0, cut), ...resumed], 100);
    expect(continuous.flags).toEqual([]);
  });
});
