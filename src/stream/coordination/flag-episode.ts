import { stableId } from './seeded-hash.ts';

/** One flag's life: fired once, then updated (same id, higher revision) while the episode lasts. */
export interface FlagEpisode {
  flagId: string;
  startTs: number;
  revision: number;
  /** Every account implicated during the episode, in the order they were first implicated. */
  authors: string[];
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
        authors: [...finding.accounts],
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
  for (const id of finding.accounts) {
    if (!known.has(id)) {
      known.add(id);
      episode.authors.push(id);
    }
  }
  episode.lastQualifiedTs = at;
  episode.windowStart = Math.min(episode.windowStart, finding.firstTs);
  episode.windowEnd = Math.max(episode.windowEnd, finding.lastTs);
  const grew = episode.authors.length >= episode.lastSize * (1 + rules.updateGrowth) && episode.authors.length > episode.lastSize;
  const moved = Math.abs(finding.score - episode.lastScore) >= rules.updateScoreDelta;
  if (!(grew || moved) || at - episode.lastEmitTs < rules.minUpdateIntervalMs) return { episode, emit: false };
  episode.revision++;
  episode.lastEmitTs = at;
  episode.lastScore = finding.score;
  episode.lastSize = episode.authors.length;
  return { episode, emit: true };
}
