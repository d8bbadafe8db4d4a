export { ErrorCodes, type ErrorCode } from './codes.ts';
export {
  TagwatchError,
  ConfigError,
  ValidationError,
  ClosedError,
  ExternalError,
  isRetriable,
  describeError,
  type TagwatchErrorOptions,
} from './tagwatch-error.ts';
