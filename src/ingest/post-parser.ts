import { z } from 'zod';
import { ErrorCodes, ValidationError } from '../errors/index.ts';
import { formatZodIssues, PostSchema, toPost, type Post } from '../model/index.ts';

/**
 * The wire-post schema compiled ahead of time (zod's `z.compile`): a generated validator for the
 * common case that hands anything it does not accept to the ordinary parser, so results and error
 * messages are zod's own, several times faster per post (the ingest hot path). A schema zod
 * cannot compile comes back unchanged and parses as before.
 */
const CompiledPostSchema = z.compile(PostSchema);

/** `parsePost` of src/model on the compiled schema: the internal post, or a ValidationError naming the fields. */
export function parseWirePost(raw: unknown): Post {
  const result = CompiledPostSchema.safeParse(raw);
  if (!result.success) {
    throw new ValidationError(ErrorCodes.POST_INVALID, `invalid post: ${formatZodIssues(result.error)}`, { input: raw });
  }
  return toPost(result.data);
}
