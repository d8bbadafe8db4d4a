import type { FastifyInstance } from 'fastify';
import { decodeFlagCursor, encodeFlagCursor } from './flag-cursor.ts';
import { parseEvidence } from './flag-summary.ts';
import { badRequest, notFound, parseRequest } from './http-error.ts';
import { evidenceView, flagSummaryView, iso, seriesView, spreadView, topTagsView } from './json-views.ts';
import type { WebOptions } from './options.ts';
import { FlagPathParams, FlagsParams, SeriesParams, TagPathParams, TopTagsParams } from './query-schemas.ts';
import type { RecentFlags } from './recent-flags.ts';
import type { FlagsQuery, LiveSpreadReader, ReadModel, SeriesQuery, TopTagsQuery } from './types.ts';

export interface ApiDependencies {
  model: ReadModel;
  spread: LiveSpreadReader | undefined;
  recentFlags: RecentFlags;
  options: WebOptions;
  /** How browsers get live updates: `pipeline` (in-process feed) or `poll` (store polled). */
  liveSource: 'pipeline' | 'poll';
  authRequired: boolean;
}

const HOUR_MS = 3_600_000;

/** The JSON read API under `/api` (documented in docs/api.md). Every input goes through zod first. */
export function registerApiRoutes(app: FastifyInstance, deps: ApiDependencies): void {
  const { model, options } = deps;

  app.get('/api/status', async () => {
    const status = await model.status();
    return {
      latestMinute: iso(status.latestMinute),
      latestFlag: iso(status.latestFlag),
      live: deps.liveSource,
      authRequired: deps.authRequired,
    };
  });

  app.get('/api/tags/top', async (request) => {
    const params = parseRequest(TopTagsParams, request.query, 'query');
    const query: TopTagsQuery = { rank: params.rank, windowMinutes: params.window, limit: Math.min(params.limit, options.maxPageSize) };
    if (params.at !== undefined) query.at = params.at;
    return topTagsView(await model.topTags(query));
  });

  app.get('/api/tags/:tag/series', async (request) => {
    const { tag } = parseRequest(TagPathParams, request.params, 'path');
    const params = parseRequest(SeriesParams, request.query, 'query');
    if (params.from !== undefined && params.to !== undefined) {
      if (params.from >= params.to) throw badRequest('invalid query: from must be before to');
      if (params.to - params.from > options.maxRangeHours * HOUR_MS) {
        throw badRequest(`invalid query: the range may cover at most ${options.maxRangeHours} hours`);
      }
    }
    const query: SeriesQuery = { tag, resolution: params.resolution };
    if (params.from !== undefined) query.from = params.from;
    if (params.to !== undefined) query.to = params.to;
    const series = await model.series(query);
    if (series === null) throw notFound(`no data for #${tag}`);
    return seriesView(series);
  });

  app.get('/api/tags/:tag/spread', async (request) => {
    const { tag } = parseRequest(TagPathParams, request.params, 'path');
    const live = deps.spread === undefined ? undefined : await deps.spread.spread(tag);
    const spread = live ?? (await model.spread(tag));
    if (spread === null) throw notFound(`no posts for #${tag}`);
    return spreadView(spread);
  });

  app.get('/api/flags', async (request) => {
    const params = parseRequest(FlagsParams, request.query, 'query');
    const limit = Math.min(params.limit, options.maxPageSize);
    const query: FlagsQuery = { limit: limit + 1 };
    if (params.kind !== undefined) query.kind = params.kind;
    if (params.tag !== undefined) query.tag = params.tag;
    if (params.minScore !== undefined) query.minScore = params.minScore;
    if (params.from !== undefined) query.from = params.from;
    if (params.to !== undefined) query.to = params.to;
    if (params.offset !== undefined) query.offset = params.offset;
    if (params.cursor !== undefined) {
      const after = decodeFlagCursor(params.cursor);
      if (after === null) throw badRequest('invalid query: cursor is not one this server issued');
      query.after = after;
    }
    // One row more than asked tells whether another page exists.
    const rows = await model.flags(query);
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    const nextCursor = rows.length > limit && last !== undefined ? encodeFlagCursor({ detectedAt: last.detectedAt, flagId: last.flagId }) : null;
    return { flags: page.map(flagSummaryView), nextCursor };
  });

  app.get('/api/flags/:flagId', async (request) => {
    const { flagId } = parseRequest(FlagPathParams, request.params, 'path');
    // A flag pushed live may not be written yet; the live copy answers until the store has it.
    const flag = (await model.flag(flagId)) ?? deps.recentFlags.get(flagId) ?? null;
    if (flag === null) throw notFound(`no flag ${flagId}`);
    const found = await model.evidence(flag, options.samplePosts);
    return evidenceView({ flag, evidence: parseEvidence(flag.evidence), ...found });
  });
}
