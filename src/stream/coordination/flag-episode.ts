import { stableId } from './seeded-hash.ts';

/** One flag's life: fired once, then updated (same id, higher revision) while the episode lasts. */
export interface FlagEpisode {
  flagId: string;
  startTs: number;
  revision: number;
  /** Accounts implicated during the episode, in the order they were first implicated (at most `maxAuthors`). */
  authors: string[];
  /** Accounts implicated in all (≥ authors.length once the list is full: a lower bound then). */
  authorCount: number;
  windowStart: number;
  windowEnd: number;
  lastEmitTs: number;
  lastScore: number;
  lastSize: number;
  lastQualifiedTs: number;
}

export interface EpisodeFinding {
  accounts: readonly string[];
  score: number;
  firstTs: number;
  lastTs: number;
}

export interface EpisodeRules {
  episodeGapMs: number;
  updateGrowth: number;
  updateScoreDelta: number;
  minUpdateIntervalMs: number;
  /** Accounts remembered per episode. */
  maxAuthors: number;
}

/**
 * Folds a finding at event time `at` into the episode. A new episode starts when there was none
 * or the last qualifying finding is older than the gap; its id hashes the tag, kind, key and
 * start time, so a replay gives the same id. Returns whether a flag (new or revised) is due.
 */
export function foldEpisode(
  episode: FlagEpisode | undefined,
  finding: EpisodeFinding,
  at: number,
  rules: EpisodeRules,
  idParts: readonly string[],
): { episode: FlagEpisode; emit: boolean } {
  if (episode === undefined || at - episode.lastQualifiedTs > rules.episodeGapMs) {
    return {
      episode: {
        flagId: stableId([...idParts, String(at)]),
        startTs: at,
        revision: 0,
        authors: finding.accounts.slice(0, rules.maxAuthors),
        authorCount: finding.accounts.length,
        windowStart: finding.firstTs,
        windowEnd: finding.lastTs,
        lastEmitTs: at,
        lastScore: finding.score,
        lastSize: finding.accounts.length,
        lastQualifiedTs: at,
      },
      emit: true,
    };
  }
  const known = new Set(episode.authors);
  let unknown = 0;
  for (const id of finding.accounts) {
    if (known.has(id)) continue;
    if (episode.authors.length < rules.maxAuthors) {
      known.add(id);
      episode.authors.push(id);
    } else {
      unknown++;
    }
  }
  // Beyond the list, accounts cannot be told apart from earlier ones: the count stays a lower bound.
  episode.authorCount = Math.max(episode.authorCount, episode.authors.length, episode.authors.length + unknown, finding.accounts.length);
  episode.lastQualifiedTs = at;
  episode.windowStart = Math.min(episode.windowStart, finding.firstTs);
  episode.windowEnd = Math.max(episode.windowEnd, finding.lastTs);
  const grew = episode.authorCount >= episode.lastSize * (1 + rules.updateGrowth) && episode.authorCount > episode.lastSize;
  const moved = Math.abs(finding.score - episode.lastScore) >= rules.updateScoreDelta;
  if (!(grew || moved) || at - episode.lastEmitTs < rules.minUpdateIntervalMs) return { episode, emit: false };
  episode.revision++;
  episode.lastEmitTs = at;
  episode.lastScore = finding.score;
  episode.lastSize = episode.authorCount;
  return { episode, emit: true };
}
