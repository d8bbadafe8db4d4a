import type { Flag } from '../model/index.ts';
import type { FlagEvidence, FlagSummary, ImplicatedAccount, SamplePost, TagSeries, TagSpread, TopTags } from './types.ts';

/*
 * The API's JSON: instants as ISO 8601 strings (UTC), except the columnar `t` of a series,
 * which is epoch milliseconds so charts read it without parsing. Documented in docs/api.md.
 */

export function iso(ms: number): string;
export function iso(ms: number | null): string | null;
export function iso(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}

export function flagSummaryView(f: FlagSummary) {
  return {
    flagId: f.flagId,
    tag: f.tag,
    kind: f.kind,
    detectedAt: iso(f.detectedAt),
    windowStart: iso(f.windowStart),
    windowEnd: iso(f.windowEnd),
    score: f.score,
    revision: f.revision,
    authorCount: f.authorCount,
    authors: f.authors,
    signals: f.signals,
    summary: f.summary,
  };
}

export function flagView(f: Flag) {
  return {
    flagId: f.flagId,
    tag: f.tag,
    kind: f.kind,
    detectedAt: iso(f.detectedAt),
    windowStart: iso(f.windowStart),
    windowEnd: iso(f.windowEnd),
    score: f.score,
    revision: f.revision,
    authors: f.authors,
    postIds: f.postIds,
    signals: f.signals,
  };
}

function accountView(a: ImplicatedAccount) {
  return { ...a, accountCreated: iso(a.accountCreated), firstPost: iso(a.firstPost), lastPost: iso(a.lastPost) };
}

function postView(p: SamplePost) {
  return { ...p, ts: iso(p.ts) };
}

export function evidenceView(e: FlagEvidence) {
  return {
    flag: flagView(e.flag),
    evidence: e.evidence,
    accounts: e.accounts.map(accountView),
    samplePosts: e.samplePosts.map(postView),
  };
}

export function topTagsView(t: TopTags) {
  return {
    at: iso(t.at),
    windowMinutes: t.windowMinutes,
    rank: t.rank,
    tags: t.tags.map((tag) => ({ ...tag, lastMinute: iso(tag.lastMinute) })),
  };
}

export function seriesView(s: TagSeries) {
  return { ...s, from: iso(s.from), to: iso(s.to), flags: s.flags.map(flagSummaryView) };
}

export function spreadView(s: TagSpread) {
  return {
    ...s,
    firstPost: iso(s.firstPost),
    firstPosters: s.firstPosters.map((p) => ({ ...p, ts: iso(p.ts) })),
  };
}
