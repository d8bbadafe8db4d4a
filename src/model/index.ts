export { PostSchema, PostKinds, toPost, toPostInput, postKey } from './post.ts';
export { normalizeTag, extractTags, resolveTags, MAX_TAG_LENGTH, type TagSpelling } from './hashtag.ts';
export { parsePost, formatZodIssues } from './validate.ts';
export { toDeadLetter, MAX_DEAD_LETTER_PAYLOAD } from './dead-letter.ts';
export {
  FlagKinds,
  type Post,
  type PostInput,
  type PostKind,
  type RawPost,
  type TagEvent,
  type TagMinute,
  type Flag,
  type DeadLetter,
  type Deletion,
  type WebhookDelivery,
} from './types.ts';
