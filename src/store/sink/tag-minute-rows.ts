import type { TagMinute } from '../../model/index.ts';
import type { TableRow } from '../types.ts';
import { dateTime, float64, uint32, uint64 } from './clickhouse-values.ts';

export function toTagMinuteRow(m: TagMinute): TableRow {
  return {
    tag: m.tag,
    minute: dateTime(m.minute, 'minute'),
    posts: uint32(m.posts, 'posts'),
    originals: uint32(m.originals, 'originals'),
    reposts: uint32(m.reposts, 'reposts'),
    replies: uint32(m.replies, 'replies'),
    quotes: uint32(m.quotes, 'quotes'),
    unique_authors: uint32(m.uniqueAuthors, 'uniqueAuthors'),
    new_authors: uint32(m.newAuthors, 'newAuthors'),
    reach: uint64(m.reach, 'reach'),
    young_posts: uint32(m.youngPosts, 'youngPosts'),
    languages: uint32(m.languages, 'languages'),
    platforms: uint32(m.platforms, 'platforms'),
    top10_share: float64(m.top10Share),
    gini: float64(m.gini),
    late_posts: uint32(m.latePosts, 'latePosts'),
    velocity: float64(m.velocity),
    acceleration: float64(m.acceleration),
    baseline_mean: float64(m.baselineMean),
    baseline_std: float64(m.baselineStd),
    zscore: float64(m.zscore),
    revision: uint32(m.revision, 'revision'),
  };
}
