import type { z } from 'zod';
import { ErrorCodes, ValidationError } from '../errors/index.ts';
import { PostSchema, toPost } from './post.ts';
import type { Post } from './types.ts';

/** One line per zod issue, with the path: `author.id: Invalid input: expected string`. */
export function formatZodIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(root)'}: ${issue.message}`)
    .join('; ');
}

/** Validates a wire post and returns the internal form, or throws a ValidationError naming the fields. */
export function parsePost(raw: unknown): Post {
  const result = PostSchema.safeParse(raw);
  if (!result.success) {
    throw new ValidationError(ErrorCodes.POST_INVALID, `invalid post: ${formatZodIssues(result.error)}`, { input: raw });
  }
  return toPost(result.data);
}
