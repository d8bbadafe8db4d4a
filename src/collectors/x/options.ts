import { z } from 'zod';
import { EnvVarNameSchema, LiveSourceOptionsShape, SecretSchema } from '../live/options.ts';

/** X's reconnect rules, with their documented values as defaults. */
export const XBackoffOptionsSchema = z.strictObject({
  /** Network errors: the delay grows by this much per attempt, in ms… */
  networkStepMs: z.number().int().min(1).default(250),
  /** …up to this, in ms. */
  networkMaxMs: z.number().int().min(1).default(16_000),
  /** HTTP errors: first delay, doubling per attempt, in ms… */
  httpInitialMs: z.number().int().min(1).default(5_000),
  /** …up to this, in ms. */
  httpMaxMs: z.number().int().min(1).default(320_000),
  /** HTTP 429: first delay, doubling per attempt, in ms… */
  rateLimitedInitialMs: z.number().int().min(1).default(60_000),
  /** …up to this, in ms (X gives no ceiling; this one keeps a stuck app retrying now and then). */
  rateLimitedMaxMs: z.number().int().min(1).default(960_000),
});

export const XRuleSchema = z.strictObject({
  /** The rule in X's query language, e.g. `#MacronLeaks -is:retweet`. */
  value: z.string().min(1).max(4_096),
  /** Label X echoes in `matching_rules`. */
  tag: z.string().min(1).max(256).optional(),
});

/** X's compliance streams (Enterprise access): deletions to apply to what tagwatch stored. */
export const XComplianceOptionsSchema = z.strictObject({
  /** Read `/2/tweets/compliance/stream`: post deletes and drops. */
  posts: z.boolean().default(true),
  /** Read `/2/users/compliance/stream`: account deletions, suspensions, protections. */
  users: z.boolean().default(true),
  /** X splits each compliance stream into partitions 1–4; one connection per partition listed. */
  partitions: z
    .array(z.number().int().min(1).max(4))
    .min(1)
    .max(4)
    .refine((p) => new Set(p).size === p.length, 'each partition once')
    .default([1, 2, 3, 4]),
  /** On reconnect, ask for up to this many minutes of missed events (0 = off). */
  backfillMinutes: z.number().int().min(0).max(5).default(0),
});

export const XSourceOptionsSchema = z
  .strictObject({
    type: z.literal('x'),
    ...LiveSourceOptionsShape,
    /** API base; the stream is `<url>/2/tweets/search/stream`. */
    url: z.url({ protocol: /^https?$/, error: 'an http:// or https:// URL' }).default('https://api.x.com'),
    /** An app-only bearer token. Prefer `bearerTokenEnv`. */
    bearerToken: SecretSchema.optional(),
    /** The environment variable that holds the bearer token. */
    bearerTokenEnv: EnvVarNameSchema.optional(),
    /**
     * The stream's rules. When given, they replace the app's rules at start (rules not listed
     * are deleted); when absent, the rules already set on the app are left alone.
     */
    rules: z.array(XRuleSchema).max(1_000).optional(),
    /** On reconnect, ask for up to this many minutes of missed posts (needs an access level that allows it; 0 = off). */
    backfillMinutes: z.number().int().min(0).max(5).default(0),
    /** X sends a keep-alive at least every 20 s; silence this long means a stall, in ms. */
    stallTimeoutMs: z.number().int().min(50).default(30_000),
    backoff: XBackoffOptionsSchema.prefault({}),
    /** Also read X's compliance streams and apply their deletions (absent = off; `{}` = both streams, all partitions). */
    compliance: XComplianceOptionsSchema.optional(),
  })
  .superRefine((source, ctx) => {
    const name = source.name ?? 'x';
    if (source.bearerToken === undefined && source.bearerTokenEnv === undefined) {
      ctx.addIssue({ code: 'custom', path: ['bearerToken'], message: `source "${name}" needs an X bearer token (set bearerToken or bearerTokenEnv)` });
    }
    if (source.bearerToken !== undefined && source.bearerTokenEnv !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['bearerTokenEnv'], message: `source "${name}": set bearerToken or bearerTokenEnv, not both` });
    }
    if (source.compliance !== undefined && !source.compliance.posts && !source.compliance.users) {
      ctx.addIssue({ code: 'custom', path: ['compliance'], message: `source "${name}": compliance reads no stream (posts and users are both false); remove compliance instead` });
    }
  });

export type XSourceOptions = z.output<typeof XSourceOptionsSchema>;
export type XBackoffOptions = z.output<typeof XBackoffOptionsSchema>;
export type XRule = z.output<typeof XRuleSchema>;
export type XComplianceOptions = z.output<typeof XComplianceOptionsSchema>;
