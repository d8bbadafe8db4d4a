import { z } from 'zod';
import { XProblemSchema } from './wire.ts';

/**
 * X API v2 compliance stream lines (`/2/tweets/compliance/stream`, `/2/users/compliance/stream`):
 * `{"data": {"<event type>": {...}}}` or `{"errors": [...]}`, one per line, `\r\n` keep-alives.
 * The event type is the single key of `data`; its body is checked once the type is known.
 */

const NumericIdSchema = z.string().regex(/^\d{1,20}$/, 'a numeric X id');

/** `delete`, `drop`, `undrop`, `withheld`, `tweet_edit`: the post, its author, when. */
export const XTweetComplianceEventSchema = z.looseObject({
  tweet: z.looseObject({ id: NumericIdSchema, author_id: NumericIdSchema.optional() }),
  event_at: z.string().optional(),
  withheld_in_countries: z.array(z.string()).optional(),
});

/** `user_delete`, `user_suspend`, `user_protect` and their reversals, `user_withheld`…: the account, when. */
export const XUserComplianceEventSchema = z.looseObject({
  user: z.looseObject({ id: NumericIdSchema }),
  event_at: z.string().optional(),
});

export const XComplianceLineSchema = z.looseObject({
  data: z
    .record(z.string(), z.unknown())
    .refine((data) => Object.keys(data).length === 1, 'data must hold exactly one compliance event')
    .optional(),
  errors: z.array(XProblemSchema).optional(),
});

export type XComplianceLine = z.output<typeof XComplianceLineSchema>;
