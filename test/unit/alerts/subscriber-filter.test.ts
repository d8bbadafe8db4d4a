import { describe, expect, it } from 'vitest';
import { compileTagPattern, SubscriberFilter, SubscriberSchema } from '../../../src/alerts/index.ts';
import { makeFlag } from '../../support/alerts/flags.ts';

function filter(filters: unknown): SubscriberFilter {
  return new SubscriberFilter(SubscriberSchema.parse({ name: 's', url: 'https://x.example.org/', secret: '0123456789abcdef', filters }));
}

describe('subscriber filters', () => {
  it('tag globs match the whole normalized tag', () => {
    expect(compileTagPattern('macron*').test('macronleaks')).toBe(true);
    expect(compileTagPattern('macron*').test('leaksmacron')).toBe(false);
    expect(compileTagPattern('*leaks').test('macronleaks')).toBe(true);
    expect(compileTagPattern('vote?').test('vote2')).toBe(true);
    expect(compileTagPattern('vote?').test('vote22')).toBe(false);
    expect(compileTagPattern('élection*').test('élection2017')).toBe(true);
  });

  it('routes by tag pattern and kind, opens by minimum score', () => {
    const f = filter({ tags: ['#Macron*', 'présidentielle*'], kinds: ['coordinated'], minScore: 0.8 });
    expect(f.routes(makeFlag({ tag: 'macronleaks' }))).toBe(true);
    expect(f.routes(makeFlag({ tag: 'présidentielle2017' }))).toBe(true);
    expect(f.routes(makeFlag({ tag: 'football' }))).toBe(false);
    expect(f.routes(makeFlag({ tag: 'macronleaks', kind: 'burst' }))).toBe(false);
    expect(f.opens(makeFlag({ score: 0.8 }))).toBe(true);
    expect(f.opens(makeFlag({ score: 0.79 }))).toBe(false);
  });

  it('defaults receive every tag and kind', () => {
    const f = filter(undefined);
    expect(f.routes(makeFlag({ tag: 'anything', kind: 'spam' }))).toBe(true);
    expect(f.opens(makeFlag({ score: 0 }))).toBe(true);
  });
});
