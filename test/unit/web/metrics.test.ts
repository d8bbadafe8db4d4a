import { describe, expect, it, vi } from 'vitest';
import { flagsFired, observeQueueDepth, renderMetrics, stageRecords } from '../../../src/metrics/index.ts';

describe('tagwatch metrics', () => {
  it('samples queue depth sources at scrape time, summed per stream, until they are removed', async () => {
    const stopA = observeQueueDepth(() => ({ 'tag-events': 3, metrics: 1 }));
    const stopB = observeQueueDepth(() => ({ 'tag-events': 4 }));
    let text = (await renderMetrics()).body;
    expect(text).toContain('tagwatch_queue_depth{stream="tag-events"} 7');
    expect(text).toContain('tagwatch_queue_depth{stream="metrics"} 1');
    stopB();
    text = (await renderMetrics()).body;
    expect(text).toContain('tagwatch_queue_depth{stream="tag-events"} 3');
    stopA();
  });

  it('counts per stage and per flag kind, and survives its module being evaluated twice', async () => {
    stageRecords.inc({ stage: 'ingest', stream: 'posts' }, 5);
    flagsFired.inc({ kind: 'burst', update: 'false' });
    // A second evaluation (as test runners do) must reuse the registered metrics, not throw.
    vi.resetModules();
    const again = await import('../../../src/metrics/tagwatch-metrics.ts');
    expect(again.stageRecords).toBe(stageRecords);
    again.stageRecords.inc({ stage: 'ingest', stream: 'posts' }, 2);
    const { body, contentType } = await renderMetrics();
    expect(contentType).toContain('text/plain');
    expect(body).toMatch(/tagwatch_stage_records_total\{stage="ingest",stream="posts"\} 7/);
    expect(body).toContain('tagwatch_flags_total{kind="burst",update="false"} 1');
  });
});
