import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { mapXComplianceEvent, XComplianceLineSchema } from '../../../src/collectors/x/index.ts';
import { ValidationError } from '../../../src/errors/index.ts';

const fixture = (name: string) => JSON.parse(readFileSync(new URL(`../../fixtures/protocol/x/${name}`, import.meta.url), 'utf8')) as unknown;
const data = (name: string) => XComplianceLineSchema.parse(fixture(name)).data as Record<string, unknown>;

describe('X compliance mapping', () => {
  it('maps post deletes and drops to post deletions, account deletions and suspensions to account deletions', () => {
    expect(mapXComplianceEvent(data('compliance-tweet-delete.json'), 7)).toEqual({ event: 'delete', deletion: { platform: 'x', id: '2099559475363561475', at: 7 } });
    expect(mapXComplianceEvent(data('compliance-tweet-drop.json'), 7)).toEqual({ event: 'drop', deletion: { platform: 'x', id: '2099561114043252737', at: 7 } });
    expect(mapXComplianceEvent(data('compliance-user-suspend.json'), 8)).toEqual({
      event: 'user_suspend',
      deletion: { platform: 'x', id: '1834990012345678901', at: 8, scope: 'account' },
    });
    expect(mapXComplianceEvent(data('compliance-user-delete.json'), 9)).toEqual({
      event: 'user_delete',
      deletion: { platform: 'x', id: '1502233445566778899', at: 9, scope: 'account' },
    });
    expect(mapXComplianceEvent({ user_protect: { user: { id: '42' }, event_at: '2026-09-14T18:00:00.000Z' } }, 1)).toMatchObject({ deletion: { id: '42', scope: 'account' } });
  });

  it('applies nothing for withholding, reversals, edits and event types it does not know', () => {
    expect(mapXComplianceEvent(data('compliance-tweet-withheld.json'), 1)).toEqual({ ignored: 'withheld' });
    expect(mapXComplianceEvent(data('compliance-user-undelete.json'), 1)).toEqual({ ignored: 'user_undelete' });
    for (const event of ['undrop', 'tweet_edit', 'user_unsuspend', 'user_unprotect', 'user_withheld', 'scrub_geo', 'user_profile_modification', 'something_new']) {
      expect(mapXComplianceEvent({ [event]: { anything: true } }, 1)).toEqual({ ignored: event });
    }
  });

  it('rejects a known event without the ids it needs', () => {
    expect(() => mapXComplianceEvent({ delete: { tweet: { author_id: '1' } } }, 1)).toThrow(ValidationError);
    expect(() => mapXComplianceEvent({ user_delete: { user: { id: 'abc' } } }, 1)).toThrow(/X compliance user_delete event/);
    expect(XComplianceLineSchema.safeParse({ data: {} }).success).toBe(false);
  });
});
