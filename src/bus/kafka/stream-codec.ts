import { z } from 'zod';
import { ErrorCodes, ValidationError } from '../../errors/index.ts';
import { formatZodIssues } from '../../model/index.ts';
import { Streams, type StreamName, type StreamValues } from '../types.ts';

/**
 * The wire format of each stream: one JSON document per Kafka message, checked by zod when it
 * is read back. Schemas check what consumers rely on and keep any other field (loose objects),
 * so a field added to a model type travels without a change here.
 */
const epochMs = z.number().int();
const count = z.number().int().min(0);
/** Any number, NaN and ±Infinity included (they travel; see `keepNonFinite`). */
const anyNumber = z.custom<number>((v) => typeof v === 'number', 'expected a number');

const PostWire = z.looseObject({
  platform: z.string().min(1),
  id: z.string().min(1),
  author: z.looseObject({ id: z.string().min(1) }),
  ts: epochMs,
  text: z.string(),
  tags: z.array(z.string()),
  tagDisplay: z.array(z.string()),
  kind: z.enum(['original', 'repost', 'reply', 'quote']),
});

const RawPostWire = z.looseObject({ origin: z.string(), receivedAt: epochMs, post: z.unknown() });

const TagEventWire = z.looseObject({ tag: z.string().min(1), display: z.string(), post: PostWire });

const TagMinuteWire = z.looseObject({
  tag: z.string().min(1),
  minute: epochMs,
  posts: count,
  originals: count,
  reposts: count,
  replies: count,
  quotes: count,
  uniqueAuthors: count,
  revision: count,
});

const FlagWire = z.looseObject({
  flagId: z.string().min(1),
  tag: z.string().min(1),
  kind: z.string().min(1),
  detectedAt: epochMs,
  windowStart: epochMs,
  windowEnd: epochMs,
  score: anyNumber,
  authors: z.array(z.string()),
  postIds: z.array(z.string()),
  signals: z.record(z.string(), anyNumber),
  evidence: z.string(),
  revision: count,
});

const TagStateWire = z.looseObject({ tag: z.string().min(1), state: z.unknown() });

const DeletionWire = z.looseObject({ platform: z.string().min(1), id: z.string().min(1), at: epochMs });

const DeliveryWire = z.looseObject({
  subscriber: z.string(),
  eventId: z.string(),
  flagId: z.string(),
  attempt: count,
  status: z.string(),
  httpStatus: z.number().int(),
  latencyMs: anyNumber,
  error: z.string(),
  at: epochMs,
});

const DeadLetterWire = z.looseObject({
  source: z.string(),
  ref: z.string(),
  code: z.string(),
  reason: z.string(),
  payload: z.string(),
  at: epochMs,
});

const schemas: Record<StreamName, z.ZodType> = {
  [Streams.posts]: RawPostWire,
  [Streams.accepted]: PostWire,
  [Streams.tagEvents]: TagEventWire,
  [Streams.metrics]: TagMinuteWire,
  [Streams.flags]: FlagWire,
  [Streams.analyzeState]: TagStateWire,
  [Streams.deletions]: DeletionWire,
  [Streams.deliveries]: DeliveryWire,
  [Streams.deadLetters]: DeadLetterWire,
};

/** Streams whose null value is meaningful (a compacted changelog's tombstone). */
const nullable = new Set<StreamName>([Streams.analyzeState]);

export function encodeValue<S extends StreamName>(stream: S, value: StreamValues[S]): Buffer | null {
  if (value === null) {
    if (!nullable.has(stream)) throw new ValidationError(ErrorCodes.MESSAGE_INVALID, `stream ${stream} takes no null values`);
    return null;
  }
  return Buffer.from(JSON.stringify(value, keepNonFinite), 'utf8');
}

// JSON has no NaN or Infinity (JSON.stringify writes null), but stages use them (a z-score
// without a baseline, "not reached yet" in a checkpoint) and the embedded run keeps them: they
// travel as marked strings and are turned back into numbers when read.
const NON_FINITE = new Map<string, number>([
  ['\u0000NaN', Number.NaN],
  ['\u0000Infinity', Number.POSITIVE_INFINITY],
  ['\u0000-Infinity', Number.NEGATIVE_INFINITY],
]);
const NON_FINITE_ESCAPED = '\\u0000';

function keepNonFinite(_key: string, value: unknown): unknown {
  return typeof value === 'number' && !Number.isFinite(value) ? `\u0000${String(value)}` : value;
}

function reviveNonFinite(_key: string, value: unknown): unknown {
  if (typeof value === 'string' && value.charCodeAt(0) === 0) return NON_FINITE.get(value) ?? value;
  return value;
}

/** Parses and validates one message value; throws a ValidationError naming the problem. */
export function decodeValue<S extends StreamName>(stream: S, bytes: Buffer | null): StreamValues[S] {
  if (bytes === null) {
    if (nullable.has(stream)) return null as StreamValues[S];
    throw new ValidationError(ErrorCodes.MESSAGE_INVALID, `empty message on stream ${stream}`);
  }
  let parsed: unknown;
  try {
    const text = bytes.toString('utf8');
    parsed = text.includes(NON_FINITE_ESCAPED) ? JSON.parse(text, reviveNonFinite) : JSON.parse(text);
  } catch (cause) {
    throw new ValidationError(ErrorCodes.JSON_INVALID, `message on stream ${stream} is not JSON: ${(cause as Error).message}`, { cause });
  }
  const result = schemas[stream].safeParse(parsed);
  if (!result.success) {
    throw new ValidationError(ErrorCodes.MESSAGE_INVALID, `invalid ${stream} message: ${formatZodIssues(result.error)}`);
  }
  return result.data as StreamValues[S];
}
