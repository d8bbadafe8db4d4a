import type { Logger } from 'pino';
import { z } from 'zod';
import type { LiveClock } from '../live/clock.ts';
import type { Secret } from '../live/secret.ts';
import type { RawFrame } from '../live/types.ts';
import type { MastodonStream } from './options.ts';
import { compareStatusIds } from './status-ids.ts';

/** The part of `fetch` the catch-up uses (injectable for tests). */
export type MastodonFetch = (url: string, init: RequestInit) => Promise<Response>;

/** A stream's REST timeline: where to page, and the `stream` the statuses are labelled with. */
export interface TimelineRoute {
  path: string;
  params: Record<string, string>;
  stream: string[];
}

/** The REST timeline that holds what a stream would have carried (every stream has one). */
export function timelineRoute(stream: MastodonStream): TimelineRoute {
  if ('tag' in stream) {
    return { path: `/api/v1/timelines/tag/${encodeURIComponent(stream.tag)}`, params: stream.stream === 'hashtag:local' ? { local: 'true' } : {}, stream: [stream.stream, stream.tag] };
  }
  if ('list' in stream) return { path: `/api/v1/timelines/list/${encodeURIComponent(stream.list)}`, params: {}, stream: [stream.stream, stream.list] };
  if (stream.stream === 'user') return { path: '/api/v1/timelines/home', params: {}, stream: ['user'] };
  const params: Record<string, string> = {};
  if (stream.stream.includes(':local')) params['local'] = 'true';
  if (stream.stream.includes(':remote')) params['remote'] = 'true';
  if (stream.stream.endsWith(':media')) params['only_media'] = 'true';
  return { path: '/api/v1/timelines/public', params, stream: [stream.stream] };
}

const TimelinePageSchema = z.array(z.unknown());

export interface CatchUpRequest {
  /** The instance's base URL (http/https) and its label for logs. */
  instanceUrl: string;
  label: string;
  token: Secret;
  streams: readonly MastodonStream[];
  /** Fetch statuses newer than this id (`min_id`). */
  sinceId: string;
  maxPages: number;
  pageSize: number;
  timeoutMs: number;
  /** The streaming origin: frames are labelled with it, so they are handled as the instance's own. */
  origin: string;
  push(frame: RawFrame): void;
  signal: AbortSignal;
}

export interface CatchUpDeps {
  fetch: MastodonFetch;
  clock: LiveClock;
  log: Logger;
}

export interface CatchUpOutcome {
  /** Statuses fetched and handed to the frame handler (which drops those already seen). */
  fetched: number;
  pages: number;
  /** False when `maxPages` ran out (or a request failed) before reaching the present. */
  complete: boolean;
}

/**
 * After a reconnect, what the streams carried while tagwatch was away, from the REST timelines:
 * per stream, pages of statuses newer than `sinceId` (oldest first), each pushed as if the stream
 * had sent it (`update`), so the uri dedupe drops what was already seen. At most
 * `maxPages × pageSize` statuses per stream. Failures are logged; they never stop the stream.
 */
export async function catchUpTimelines(request: CatchUpRequest, deps: CatchUpDeps): Promise<CatchUpOutcome> {
  const total: CatchUpOutcome = { fetched: 0, pages: 0, complete: true };
  const seen = new Set<string>();
  for (const stream of request.streams) {
    const route = timelineRoute(stream);
    const key = `${route.path}?${new URLSearchParams(route.params).toString()}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const outcome = await catchUpRoute(request, route, deps);
    total.fetched += outcome.fetched;
    total.pages += outcome.pages;
    total.complete &&= outcome.complete;
    if (request.signal.aborted) break;
  }
  return total;
}

async function catchUpRoute(request: CatchUpRequest, route: TimelineRoute, deps: CatchUpDeps): Promise<CatchUpOutcome> {
  const outcome: CatchUpOutcome = { fetched: 0, pages: 0, complete: false };
  let minId = request.sinceId;
  const log = deps.log.child({ instance: request.label, timeline: route.path });
  while (outcome.pages < request.maxPages && !request.signal.aborted) {
    const url = timelineUrl(request.instanceUrl, route, minId, request.pageSize);
    let statuses: unknown[];
    try {
      const res = await deps.fetch(url, {
        headers: { authorization: `Bearer ${request.token.reveal()}`, accept: 'application/json', 'user-agent': 'tagwatch' },
        signal: AbortSignal.any([request.signal, AbortSignal.timeout(request.timeoutMs)]),
      });
      if (!res.ok) {
        const body = (await res.text()).replace(/\s+/g, ' ').slice(0, 300);
        const hint = res.status === 401 || res.status === 403 ? ' (the token needs the read:statuses scope)' : '';
        log.warn({ status: res.status, body }, `catching up through the REST timeline failed${hint}; statuses sent while disconnected are lost`);
        return outcome;
      }
      statuses = TimelinePageSchema.parse(await res.json());
    } catch (err) {
      if (request.signal.aborted) return outcome;
      log.warn({ err }, 'catching up through the REST timeline failed; statuses sent while disconnected are lost');
      return outcome;
    }
    outcome.pages++;
    // A `min_id` page holds the statuses just after it, newest first: hand them on oldest first.
    const withIds = statuses.map((status) => ({ status, id: idOf(status) }));
    withIds.sort((a, b) => (a.id === undefined || b.id === undefined ? 0 : compareStatusIds(a.id, b.id)));
    for (const { status, id } of withIds) {
      const data = Buffer.from(JSON.stringify({ stream: route.stream, event: 'update', payload: JSON.stringify(status) }));
      request.push({ data, totalBytes: data.length, receivedAt: deps.clock.now(), origin: request.origin });
      outcome.fetched++;
      if (id !== undefined && compareStatusIds(id, minId) > 0) minId = id;
    }
    if (statuses.length < request.pageSize) {
      outcome.complete = true;
      break;
    }
  }
  if (!outcome.complete && !request.signal.aborted) {
    log.warn({ pages: outcome.pages, fetched: outcome.fetched }, 'catch-up stopped at catchUpMaxPages; older missed statuses are lost');
  }
  return outcome;
}

function timelineUrl(instanceUrl: string, route: TimelineRoute, minId: string, limit: number): string {
  const url = new URL(instanceUrl);
  url.pathname = `${url.pathname.replace(/\/+$/, '')}${route.path}`;
  url.search = '';
  for (const [name, value] of Object.entries(route.params)) url.searchParams.set(name, value);
  url.searchParams.set('min_id', minId);
  url.searchParams.set('limit', String(limit));
  return url.toString();
}

function idOf(status: unknown): string | undefined {
  const id = (status as { id?: unknown } | null)?.id;
  return typeof id === 'string' && /^\d{1,20}$/.test(id) ? id : undefined;
}
