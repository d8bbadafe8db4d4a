import { z } from 'zod';
import { normalizeTag } from '../model/index.ts';
import { SeriesResolutions, TagRankings } from './types.ts';

/**
 * zod schemas for every query string and path parameter of the API. Values arrive as strings;
 * these coerce, bound and normalize them, so handlers only ever see typed, trusted values.
 */

const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;

/** A time: epoch milliseconds or an ISO 8601 date-time with offset. */
const Instant = z
  .string()
  .trim()
  .transform((value, ctx) => {
    if (/^\d{1,15}$/.test(value)) return Number(value);
    const ms = ISO_DATE_TIME.test(value) ? Date.parse(value) : Number.NaN;
    if (Number.isFinite(ms)) return ms;
    ctx.addIssue({ code: 'custom', message: 'expected epoch milliseconds or an ISO 8601 date-time such as 2017-05-05T18:35:00Z' });
    return z.NEVER;
  });
/** A hashtag in any spelling (`MacronLeaks`, `#macronleaks`), normalized to its stored form. */
export const TagParam = z
  .string()
  .max(600)
  .transform((value, ctx) => {
    const spelling = normalizeTag(value);
    if (spelling === null) {
      ctx.addIssue({ code: 'custom', message: 'not a valid hashtag (letters, digits, marks or _, not all digits)' });
      return z.NEVER;
    }
    return spelling.tag;
  });

const intIn = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d+$/, 'expected a whole number')
    .transform(Number)
    .pipe(z.number().int().min(min).max(max));

export const TopTagsParams = z.strictObject({
  rank: z.enum(TagRankings).default(TagRankings.velocity),
  /** Window length in minutes. */
  window: intIn(1, 24 * 60).default(15),
  limit: intIn(1, 200).default(30),
  at: Instant.optional(),
});

export const SeriesParams = z.strictObject({
  from: Instant.optional(),
  to: Instant.optional(),
  resolution: z.enum(SeriesResolutions).default(SeriesResolutions.minute),
});

export const TagPathParams = z.strictObject({ tag: TagParam });

/** Flag kinds are short lower-case words (`burst`, `coordinated`, `spam`). */
const Kind = z.string().regex(/^[a-z][a-z_]{0,31}$/, 'a flag kind such as burst or coordinated');

export const FlagsParams = z
  .strictObject({
    kind: Kind.optional(),
    tag: TagParam.optional(),
    minScore: z
      .string()
      .regex(/^-?\d+(\.\d+)?$/, 'expected a number')
      .transform(Number)
      .optional(),
    from: Instant.optional(),
    to: Instant.optional(),
    limit: intIn(1, 10_000).default(50),
    cursor: z.string().max(512).optional(),
    offset: intIn(0, 1_000_000).optional(),
  })
  .refine((p) => p.cursor === undefined || p.offset === undefined, 'use either cursor or offset, not both');

/** Flag ids are produced by the detectors: printable, no whitespace. */
export const FlagPathParams = z.strictObject({ flagId: z.string().min(1).max(256).regex(/^[\x21-\x7e]+$/, 'a flag id') });

/** First message of a WebSocket client. */
export const HelloMessage = z.strictObject({ type: z.literal('hello'), token: z.string().max(1024).optional() });
