/**
 * tagwatch as a library: the Post model and its hashtag rules, the error hierarchy, and the
 * webhook signature check for alert receivers.
 */
export { verifySignature, computeSignature, signatureHeader, SIGNATURE_HEADER, IDEMPOTENCY_HEADER, AlertPayloadV1Schema, type AlertPayloadV1 } from './alerts/index.ts';
export {
  PostSchema,
  PostKinds,
  parsePost,
  normalizeTag,
  extractTags,
  resolveTags,
  FlagKinds,
  type Post,
  type PostInput,
  type PostKind,
  type Flag,
  type TagMinute,
  type DeadLetter,
} from './model/index.ts';
export { TagwatchError, ConfigError, ValidationError, ClosedError, ExternalError, ErrorCodes, type ErrorCode } from './errors/index.ts';
