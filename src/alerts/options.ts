import { z } from 'zod';
import { isLoopbackHost } from './url-policy.ts';

/** Delivery formats a subscriber can ask for. */
export const AlertFormats = {
  /** The documented JSON payload v1 (`docs/webhook-payload-v1.schema.json`). */
  json: 'json',
  /** `{ "text": … }` for a Slack-compatible incoming webhook. */
  slack: 'slack',
} as const;

const TAG_GLOB = /^[\p{L}\p{M}\p{Nd}_*?]+$/u;

/** A tag pattern: a normalized tag where `*` matches any run of characters and `?` one character. */
const TagPatternSchema = z
  .string()
  .transform((raw) => raw.normalize('NFKC').trim().replace(/^#+/u, '').toLowerCase())
  .pipe(z.string().regex(TAG_GLOB, 'a tag pattern: letters, digits, _ and the wildcards * and ?, with or without a leading #'));

export const SubscriberFiltersSchema = z.strictObject({
  /** Tag patterns (globs over the normalized tag); an alert goes out when any matches. */
  tags: z.array(TagPatternSchema).min(1, 'at least one tag pattern (use "*" for every tag)').default(['*']),
  /** Flag kinds (`burst`, `coordinated`, …) to receive; empty = every kind. */
  kinds: z.array(z.string().min(1)).default([]),
  /** Flags scoring below this do not open an alert (updates of an alerted episode still go out). */
  minScore: z.number().min(0).default(0),
});

export const SubscriberSchema = z.strictObject({
  /** Shown in the `webhook_deliveries` table and logs: letters, digits, `_`, `-`, `.`. */
  name: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'a name of 1–64 letters, digits, "_", "-" or "."'),
  url: z.url({ protocol: /^https?$/, error: 'an http(s) URL' }),
  /** HMAC-SHA256 key shared with the receiver; at least 16 characters. Never logged. */
  secret: z.string().min(16, 'a secret of at least 16 characters (shared with the receiver to verify signatures)'),
  format: z.enum([AlertFormats.json, AlertFormats.slack]).default(AlertFormats.json),
  filters: SubscriberFiltersSchema.default(SubscriberFiltersSchema.parse({})),
});

export const RetryOptionsSchema = z.strictObject({
  /** Delay before the second attempt, in ms; doubles with each failure. */
  initialDelayMs: z.number().int().min(1).default(5_000),
  /** Longest delay between two attempts, in ms (a receiver's `Retry-After` may ask for longer). */
  maxDelayMs: z.number().int().min(1).default(10 * 60_000),
  /** An alert still undelivered this long after it was raised is dead-lettered, in minutes. */
  maxAgeMinutes: z.number().min(1).default(24 * 60),
  /** Each delay is shortened by a random share of up to this fraction (0 = no jitter), so retries of many alerts spread out. */
  jitter: z.number().min(0).max(1).default(0.2),
});

export const AlertsOptionsSchema = z
  .strictObject({
    subscribers: z.array(SubscriberSchema).default([]),
    /** Base URL of the tagwatch web UI, for the link to the tag in each alert. */
    webBaseUrl: z.url({ protocol: /^https?$/ }).default('http://127.0.0.1:8080'),
    /** Path of a tag's page under `webBaseUrl`; `{tag}` is replaced by the URL-encoded tag. */
    tagPathTemplate: z.string().startsWith('/').includes('{tag}').default('/tags/{tag}'),
    /** Updates of an alerted flag episode go out at most once per this many minutes per subscriber. */
    updateCooldownMinutes: z.number().min(0).default(15),
    retry: RetryOptionsSchema.default(RetryOptionsSchema.parse({})),
    /** One HTTP attempt is aborted after this long, in ms. */
    timeoutMs: z.number().int().min(1).default(10_000),
    /** At most this many bytes of a receiver's response body are read, in bytes. */
    maxResponseBytes: z.number().int().min(0).default(64 * 1024),
    /** Attempts in flight at once, across subscribers. */
    concurrency: z.number().int().min(1).max(256).default(8),
    /** Author ids listed in an alert (the count is always the full number). */
    authorSample: z.number().int().min(0).max(1_000).default(20),
    /** Post ids listed in an alert as sample evidence. */
    postSample: z.number().int().min(0).max(1_000).default(20),
    /** Allow plain http:// to hosts other than loopback. Off: alerts and their signatures would travel in clear text. */
    allowInsecureHttp: z.boolean().default(false),
    /** Directory of the durable outbox journal. Default: `alerts-outbox` next to the store directory. */
    outboxDir: z.string().min(1).optional(),
    /** Flag episodes not seen for this long are forgotten (a later flag with the same id opens a new alert), in hours. */
    episodeTtlHours: z.number().min(1).default(72),
    /** The journal is rewritten (compacted) once it grows past this size, in bytes. */
    compactAfterBytes: z.number().int().min(4_096).default(8 * 1024 * 1024),
  })
  .superRefine((options, ctx) => {
    const seen = new Set<string>();
    options.subscribers.forEach((subscriber, index) => {
      if (seen.has(subscriber.name)) {
        ctx.addIssue({ code: 'custom', path: ['subscribers', index, 'name'], message: `duplicate subscriber name "${subscriber.name}"` });
      }
      seen.add(subscriber.name);
      let url: URL;
      try {
        url = new URL(subscriber.url);
      } catch {
        return;
      }
      if (url.username !== '' || url.password !== '') {
        ctx.addIssue({
          code: 'custom',
          path: ['subscribers', index, 'url'],
          message: 'credentials in the URL are not allowed (they would end up in logs and proxies); the HMAC secret authenticates tagwatch',
        });
      }
      if (url.protocol === 'http:' && !options.allowInsecureHttp && !isLoopbackHost(url.hostname)) {
        ctx.addIssue({
          code: 'custom',
          path: ['subscribers', index, 'url'],
          message: `https is required for ${url.host} (plain http is allowed only to loopback, or with alerts.allowInsecureHttp: true)`,
        });
      }
    });
    if (options.retry.maxDelayMs < options.retry.initialDelayMs) {
      ctx.addIssue({ code: 'custom', path: ['retry', 'maxDelayMs'], message: 'must be at least retry.initialDelayMs' });
    }
  });

export type Subscriber = z.output<typeof SubscriberSchema>;
export type SubscriberFilters = z.output<typeof SubscriberFiltersSchema>;
export type RetryOptions = z.output<typeof RetryOptionsSchema>;
export type AlertsOptions = z.output<typeof AlertsOptionsSchema>;
export type AlertsOptionsInput = z.input<typeof AlertsOptionsSchema>;
export type AlertFormat = (typeof AlertFormats)[keyof typeof AlertFormats];
