import type { z } from 'zod';
import { ErrorCodes, ValidationError } from '../../errors/index.ts';
import { formatZodIssues, MAX_DEAD_LETTER_PAYLOAD, toDeadLetter, type DeadLetter } from '../../model/index.ts';
import type { RawFrame } from './types.ts';

/**
 * Parses a frame as JSON. Throws a `ValidationError` (to be dead-lettered) when the frame is
 * larger than `maxFrameBytes` or is not JSON.
 */
export function decodeJsonFrame(frame: RawFrame, maxFrameBytes: number): unknown {
  if (frame.totalBytes > maxFrameBytes) {
    throw new ValidationError(ErrorCodes.FRAME_TOO_LARGE, `frame of ${frame.totalBytes} bytes is larger than maxFrameBytes (${maxFrameBytes})`);
  }
  return parseJson(frame.data.toString('utf8'), 'frame');
}

/** JSON.parse with a `ValidationError` naming what was being parsed. */
export function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (cause) {
    throw new ValidationError(ErrorCodes.JSON_INVALID, `${what} is not valid JSON: ${(cause as Error).message}`, { cause });
  }
}

/** Validates against a wire schema; throws a `ValidationError` listing the failing fields. */
export function parseWire<T extends z.ZodType>(schema: T, value: unknown, what: string): z.output<T> {
  const result = schema.safeParse(value);
  if (!result.success) throw new ValidationError(ErrorCodes.FRAME_INVALID, `${what}: ${formatZodIssues(result.error)}`);
  return result.data;
}

/** A dead letter for a frame: the raw bytes (a bounded prefix), where and when it arrived, and why. */
export function frameDeadLetter(source: string, frame: RawFrame, err: unknown): DeadLetter {
  const payload = frame.data.subarray(0, MAX_DEAD_LETTER_PAYLOAD).toString('utf8');
  return toDeadLetter(source, `${frame.origin}@${new Date(frame.receivedAt).toISOString()}`, err, payload, frame.receivedAt);
}
