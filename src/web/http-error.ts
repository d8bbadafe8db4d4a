import type { z } from 'zod';
import { ErrorCodes, TagwatchError, type ErrorCode } from '../errors/index.ts';
import { formatZodIssues } from '../model/index.ts';

/** An error with the HTTP status the API answers it with. */
export class HttpError extends TagwatchError {
  readonly status: number;

  constructor(status: number, code: ErrorCode, message: string) {
    super(code, message);
    this.status = status;
  }
}

/** Validates request input; a failure is a 400 whose message names each bad parameter. */
export function parseRequest<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
  const result = schema.safeParse(value ?? {});
  if (!result.success) {
    throw new HttpError(400, ErrorCodes.HTTP_BAD_REQUEST, `invalid ${what}: ${formatZodIssues(result.error)}`);
  }
  return result.data;
}

export function notFound(message: string): HttpError {
  return new HttpError(404, ErrorCodes.HTTP_NOT_FOUND, message);
}

export function badRequest(message: string): HttpError {
  return new HttpError(400, ErrorCodes.HTTP_BAD_REQUEST, message);
}
