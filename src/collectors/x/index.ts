export { XCollector, type XCollectorDeps } from './x-collector.ts';
export { XFrameHandler } from './x-frame-handler.ts';
export { XBackoff } from './x-backoff.ts';
export { syncRules, type RulesSyncContext } from './x-rules.ts';
export type { RulesSyncResult, XFetch } from './types.ts';
export { openXStreamSession, type XStreamSessionOptions } from './x-stream-session.ts';
export { X_PLATFORM, mapXLine, xPostTags } from './map-x-post.ts';
export {
  XSourceOptionsSchema,
  XBackoffOptionsSchema,
  XRuleSchema,
  XComplianceOptionsSchema,
  type XSourceOptions,
  type XBackoffOptions,
  type XRule,
  type XComplianceOptions,
} from './options.ts';
export { XStreamLineSchema, XPostSchema, XUserSchema, XRulesResponseSchema, type XStreamLine, type XPost } from './wire.ts';
export { XComplianceFrameHandler, type XComplianceHandlerDeps } from './x-compliance-handler.ts';
export { mapXComplianceEvent, XComplianceActions, type XComplianceEventType, type XComplianceOutcome } from './map-x-compliance.ts';
export { XComplianceLineSchema, XTweetComplianceEventSchema, XUserComplianceEventSchema, type XComplianceLine } from './compliance-wire.ts';
