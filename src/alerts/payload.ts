import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { Flag, TagMinute } from '../model/index.ts';
import { AlertTypes, type AlertType } from './types.ts';

const isoTime = z.iso.datetime({ offset: true });
const count = z.number().int().min(0);
const finite = z.number().refine(Number.isFinite, 'a finite number');

export const MetricsSnapshotV1Schema = z.strictObject({
  minute: isoTime,
  posts: count,
  originals: count,
  reposts: count,
  replies: count,
  quotes: count,
  unique_authors: count,
  new_authors: count,
  reach: z.number().min(0),
  young_posts: count,
  languages: count,
  platforms: count,
  top10_share: z.number().min(0).max(1),
  gini: z.number().min(0).max(1),
  late_posts: count,
  velocity: finite,
  acceleration: finite,
  baseline_mean: finite,
  baseline_std: finite,
  zscore: finite,
});

/**
 * The JSON body of alert payload v1. `docs/webhook-payload-v1.schema.json` documents the same
 * shape as a JSON Schema; a unit test checks sample payloads against both, so keep them in step.
 */
export const AlertPayloadV1Schema = z.strictObject({
  version: z.literal(1),
  event_id: z.string().regex(/^twe_[0-9a-f]{32}$/),
  type: z.enum([AlertTypes.opened, AlertTypes.updated]),
  created_at: isoTime,
  subscriber: z.string().min(1),
  flag: z.strictObject({
    id: z.string().min(1),
    kind: z.string().min(1),
    tag: z.string().min(1),
    score: finite,
    revision: count,
    window: z.strictObject({ start: isoTime, end: isoTime }),
    detected_at: isoTime,
    authors: z.strictObject({ count, sample: z.array(z.string()) }),
    posts: z.strictObject({ sample: z.array(z.string()) }),
    signals: z.record(z.string(), finite),
    evidence: z.looseObject({ summary: z.string() }),
  }),
  metrics: MetricsSnapshotV1Schema.nullable(),
  links: z.strictObject({ tag: z.url() }),
});

export type AlertPayloadV1 = z.output<typeof AlertPayloadV1Schema>;
export type MetricsSnapshotV1 = z.output<typeof MetricsSnapshotV1Schema>;

/**
 * The alert's event id, also its `Idempotency-Key`: the same subscriber, flag episode and
 * revision always give the same id, so a resend after a crash or a replay of the same flags is
 * recognisable by the receiver.
 */
export function alertEventId(subscriber: string, flagId: string, revision: number): string {
  const digest = createHash('sha256').update(`${subscriber}\u0000${flagId}\u0000${revision}`).digest('hex');
  return `twe_${digest.slice(0, 32)}`;
}

export interface PayloadContext {
  eventId: string;
  type: AlertType;
  subscriber: string;
  createdAt: number;
  /** Absolute URL of the tag's page in the web UI. */
  tagUrl: string;
  authorSample: number;
  postSample: number;
}

export function buildPayloadV1(flag: Flag, metrics: TagMinute | undefined, ctx: PayloadContext): AlertPayloadV1 {
  return {
    version: 1,
    event_id: ctx.eventId,
    type: ctx.type,
    created_at: new Date(ctx.createdAt).toISOString(),
    subscriber: ctx.subscriber,
    flag: {
      id: flag.flagId,
      kind: flag.kind,
      tag: flag.tag,
      score: flag.score,
      revision: flag.revision,
      window: { start: new Date(flag.windowStart).toISOString(), end: new Date(flag.windowEnd).toISOString() },
      detected_at: new Date(flag.detectedAt).toISOString(),
      authors: { count: flag.authors.length, sample: flag.authors.slice(0, ctx.authorSample) },
      posts: { sample: flag.postIds.slice(0, ctx.postSample) },
      signals: Object.fromEntries(Object.entries(flag.signals).filter(([, v]) => Number.isFinite(v))),
      evidence: parseEvidence(flag),
    },
    metrics: metrics === undefined ? null : metricsSnapshot(metrics),
    links: { tag: ctx.tagUrl },
  };
}

/** Evidence travels as an object; text that is not a JSON object becomes its summary. */
function parseEvidence(flag: Flag): { summary: string; [key: string]: unknown } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(flag.evidence);
  } catch {
    parsed = undefined;
  }
  if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) {
    const obj = parsed as Record<string, unknown>;
    const summary = typeof obj['summary'] === 'string' ? obj['summary'] : defaultSummary(flag);
    return { ...obj, summary };
  }
  return { summary: flag.evidence.trim().length > 0 ? flag.evidence : defaultSummary(flag) };
}

function defaultSummary(flag: Flag): string {
  return `${flag.kind} flag on #${flag.tag} (score ${flag.score.toFixed(2)})`;
}

function metricsSnapshot(m: TagMinute): MetricsSnapshotV1 {
  return {
    minute: new Date(m.minute).toISOString(),
    posts: m.posts,
    originals: m.originals,
    reposts: m.reposts,
    replies: m.replies,
    quotes: m.quotes,
    unique_authors: m.uniqueAuthors,
    new_authors: m.newAuthors,
    reach: m.reach,
    young_posts: m.youngPosts,
    languages: m.languages,
    platforms: m.platforms,
    top10_share: m.top10Share,
    gini: m.gini,
    late_posts: m.latePosts,
    velocity: m.velocity,
    acceleration: m.acceleration,
    baseline_mean: m.baselineMean,
    baseline_std: m.baselineStd,
    zscore: m.zscore,
  };
}

/** The absolute URL of a tag's page: `webBaseUrl` joined with the path template. */
export function tagPageUrl(webBaseUrl: string, template: string, tag: string): string {
  const base = webBaseUrl.endsWith('/') ? webBaseUrl.slice(0, -1) : webBaseUrl;
  return `${base}${template.replaceAll('{tag}', encodeURIComponent(tag))}`;
}
