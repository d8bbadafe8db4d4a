import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { LiveFeedOptionsSchema, LiveFeedStage } from '../../../src/live/index.ts';
import type { Flag } from '../../../src/model/index.ts';
import type { LiveFeed } from '../../../src/web/index.ts';

describe('LiveFeed contract', () => {
  it('accepts the pipeline live feed stage and a plain EventEmitter', () => {
    // Compile-time: both must be assignable to the web server's LiveFeed.
    const stage: LiveFeed = new LiveFeedStage(LiveFeedOptionsSchema.parse({}));
    const emitter: LiveFeed = new EventEmitter();
    const seen: string[] = [];
    const listener = (flag: Flag): void => {
      seen.push(flag.flagId);
    };
    emitter.on('flag', listener);
    (emitter as EventEmitter).emit('flag', { flagId: 'f1' });
    emitter.off('flag', listener);
    (emitter as EventEmitter).emit('flag', { flagId: 'f2' });
    expect(seen).toEqual(['f1']);
    expect(typeof stage.on).toBe('function');
  });
});
