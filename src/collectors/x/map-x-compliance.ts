import type { Deletion } from '../../model/index.ts';
import { parseWire } from '../live/frame-decoding.ts';
import { XTweetComplianceEventSchema, XUserComplianceEventSchema } from './compliance-wire.ts';
import { X_PLATFORM } from './map-x-post.ts';

/**
 * What tagwatch does with each compliance event type. Redaction cannot be undone (the text is
 * gone), so reversals (`undrop`, `user_undelete`…) change nothing stored; posts created after a
 * reversal are not touched, since an account deletion only covers posts created up to it.
 * Country withholding is not applied: tagwatch does not know where its readers are.
 */
export const XComplianceActions = {
  /** The post was deleted (permanent). */
  delete: 'post',
  /** The post must be removed from public view. */
  drop: 'post',
  /** The account was deleted (reversible for 30 days; X sends post deletes after that). */
  user_delete: 'account',
  user_suspend: 'account',
  /** The account's posts are no longer public. */
  user_protect: 'account',
} as const satisfies Record<string, 'post' | 'account'>;

export type XComplianceEventType = keyof typeof XComplianceActions;

/** A compliance event as tagwatch applies it, or why it is not applied. */
export type XComplianceOutcome = { deletion: Deletion; event: string } | { ignored: string };

/** One compliance line's `data` → a post or account deletion, received at `at` (epoch ms). */
export function mapXComplianceEvent(data: Record<string, unknown>, at: number): XComplianceOutcome {
  const [event, body] = Object.entries(data)[0] ?? ['', undefined];
  const action = (XComplianceActions as Record<string, 'post' | 'account' | undefined>)[event];
  if (action === undefined) return { ignored: event };
  if (action === 'post') {
    const { tweet } = parseWire(XTweetComplianceEventSchema, body, `X compliance ${event} event`);
    return { event, deletion: { platform: X_PLATFORM, id: tweet.id, at } };
  }
  const { user } = parseWire(XUserComplianceEventSchema, body, `X compliance ${event} event`);
  return { event, deletion: { platform: X_PLATFORM, id: user.id, at, scope: 'account' } };
}
