import { beforeAll, describe, expect, it } from 'vitest';
import { TruthSchema } from '../../../src/sim/index.ts';
import { runSimulation, tagsOf, validate, type SimRun } from './sim-fixtures.ts';

const HOUR = 3_600_000;

describe('simulated stream (default scenario)', () => {
  let run: SimRun;
  beforeAll(() => {
    run = runSimulation({
      seed: 11,
      hours: 2.5,
      ratePerMin: 50,
      hardCases: { breakingNews: { posts: [1_500, 2_000] }, celebrityRepost: { reposts: [1_000, 1_500] }, liveEvent: { posts: [800, 1_200] } },
    });
  });

  it('writes only valid wire posts, sorted by createdAt, with unique ids', () => {
    let previous = '';
    let unsorted = 0;
    const ids = new Set<string>();
    for (const post of run.posts) {
      validate(post);
      if (post.createdAt < previous) unsorted++;
      previous = post.createdAt;
      ids.add(post.id);
    }
    expect(unsorted).toBe(0);
    expect(ids.size).toBe(run.posts.length);
    expect(run.posts.length).toBe(run.truth.stats.posts);
  });

  it('keeps every post inside the simulated span', () => {
    const start = Date.parse(run.truth.start);
    const end = Date.parse(run.truth.end);
    expect(end - start).toBe(2.5 * HOUR);
    const outside = run.posts.filter((p) => Date.parse(p.createdAt) < start || Date.parse(p.createdAt) >= end);
    expect(outside).toEqual([]);
  });

  it('points reposts, replies and quotes at earlier posts; a repost carries its parent text', () => {
    const byId = new Map<string, { text: string; createdAt: string; author: string }>();
    const kinds = { original: 0, repost: 0, reply: 0, quote: 0 };
    const problems: string[] = [];
    for (const post of run.posts) {
      kinds[post.kind]++;
      if (post.kind === 'original') {
        if (post.parentId !== undefined) problems.push(`${post.id}: original with a parent`);
      } else {
        // The parent must already be in the map: it came earlier in the stream.
        const parent = post.parentId === undefined ? undefined : byId.get(post.parentId);
        if (parent === undefined) problems.push(`${post.id}: parent ${post.parentId} not earlier in the stream`);
        else {
          if (parent.createdAt > post.createdAt) problems.push(`${post.id}: parent is younger`);
          if (parent.author === post.author.id) problems.push(`${post.id}: own post`);
          if (post.kind === 'repost' && post.text !== parent.text) problems.push(`${post.id}: repost text differs`);
        }
      }
      byId.set(post.id, { text: post.text, createdAt: post.createdAt, author: post.author.id });
    }
    expect(problems).toEqual([]);
    for (const n of Object.values(kinds)) expect(n).toBeGreaterThan(100);
    // Quotes and replies are reposted and answered in turn: some cascades are deeper than one hop.
    const parentOf = new Map(run.posts.filter((p) => p.parentId !== undefined).map((p) => [p.id, p.parentId as string]));
    const depth = (id: string): number => {
      let d = 0;
      for (let at = parentOf.get(id); at !== undefined; at = parentOf.get(at)) d++;
      return d;
    };
    const depths = [...parentOf.keys()].map(depth);
    expect(Math.max(...depths)).toBeGreaterThanOrEqual(2);
    expect(depths.filter((d) => d >= 2).length).toBeGreaterThan(10);
  });

  it('writes a truth file that parses with TruthSchema', () => {
    const parsed = TruthSchema.parse(JSON.parse(JSON.stringify(run.truth)));
    expect(parsed.seed).toBe(11);
    expect(parsed.stats.accounts).toBe(new Set(run.posts.map((p) => p.author.id)).size);
  });

  it('labels campaigns whose members, tags and spans match the posts', () => {
    const { campaigns } = run.truth;
    expect(campaigns.length).toBeGreaterThanOrEqual(4);
    expect(new Set(campaigns.map((c) => c.style))).toEqual(new Set(['copypasta', 'repost_ring', 'hyperactive', 'paraphrase']));
    const byId = new Map(run.posts.map((p) => [p.id, p]));
    for (const c of campaigns) {
      const members = new Set(c.members);
      const start = Date.parse(c.start);
      const end = Date.parse(c.end);
      expect(c.postIds.length).toBeGreaterThan(0);
      for (const id of c.postIds) {
        const post = byId.get(id);
        expect(post, id).toBeDefined();
        expect(members.has(post!.author.id)).toBe(true);
        expect(tagsOf(post!)).toContain(c.tag);
        const ts = Date.parse(post!.createdAt);
        expect(ts).toBeGreaterThanOrEqual(start);
        expect(ts).toBeLessThanOrEqual(end);
      }
      // Every member posted the campaign's tag inside the campaign's span, and the span is tight.
      const onTag = run.posts.filter((p) => members.has(p.author.id) && tagsOf(p).includes(c.tag));
      const inSpan = onTag.filter((p) => Date.parse(p.createdAt) >= start && Date.parse(p.createdAt) <= end);
      expect(new Set(inSpan.map((p) => p.author.id)).size).toBe(members.size);
      expect(inSpan.length).toBeGreaterThanOrEqual(c.postCount);
      expect(inSpan.some((p) => p.createdAt === c.start)).toBe(true);
      expect(inSpan.some((p) => p.createdAt === c.end)).toBe(true);
      for (const s of c.sources) expect(members.has(s)).toBe(true);
    }
  });

  it('gives copy-pasta campaigns young accounts and near-identical texts', () => {
    const copypasta = run.truth.campaigns.find((c) => c.style === 'copypasta')!;
    const members = new Set(copypasta.members);
    const posts = run.posts.filter((p) => members.has(p.author.id) && tagsOf(p).includes(copypasta.tag));
    const start = Date.parse(copypasta.start);
    const young = posts.filter((p) => start - Date.parse(p.author.createdAt!) < 30 * 24 * HOUR);
    expect(young.length / posts.length).toBeGreaterThan(0.5);
    const words = (text: string) => new Set(text.toLowerCase().split(/\s+/).filter((w) => /^[\p{L}']+$/u.test(w)));
    const a = words(posts[0]!.text);
    const similar = posts.slice(1, 30).filter((p) => {
      const b = words(p.text);
      const inter = [...a].filter((w) => b.has(w)).length;
      return inter / (a.size + b.size - inter) > 0.5;
    });
    expect(similar.length).toBeGreaterThan(0);
  });

  it('includes every organic hard case, and lists the crowd events as bursts', () => {
    const kinds = run.truth.hardCases.map((h) => h.kind).sort();
    expect(kinds).toEqual(['breaking_news', 'celebrity_repost', 'live_event', 'lone_spammer']);
    const breaking = run.truth.hardCases.find((h) => h.kind === 'breaking_news')!;
    expect(breaking.postCount).toBeGreaterThanOrEqual(1_500);
    expect(breaking.authorCount / breaking.postCount).toBeGreaterThan(0.7);
    const celebrity = run.truth.hardCases.find((h) => h.kind === 'celebrity_repost')!;
    expect(celebrity.authors).toHaveLength(1);
    const cascade = run.posts.filter((p) => p.kind === 'repost' && tagsOf(p).includes(celebrity.tag));
    expect(cascade.length).toBeGreaterThanOrEqual(900);
    expect(new Set(cascade.map((p) => p.parentId)).size).toBe(1);
    const spammer = run.truth.hardCases.find((h) => h.kind === 'lone_spammer')!;
    const spam = run.posts.filter((p) => p.author.id === spammer.authors[0] && tagsOf(p).includes(spammer.tag));
    expect(spam.length).toBe(spammer.postCount);
    const burstRefs = new Set(run.truth.bursts.map((b) => b.ref));
    for (const h of run.truth.hardCases) expect(burstRefs.has(h.id)).toBe(h.kind !== 'lone_spammer');
    for (const b of run.truth.bursts) {
      expect(b.peakPerMin).toBeGreaterThanOrEqual(b.thresholdPerMin);
      expect(b.onset >= b.start.slice(0, 16)).toBe(true);
    }
  });

  it('spreads tags like Zipf and activity with a heavy tail', () => {
    const tagCounts = new Map<string, number>();
    const authorCounts = new Map<string, number>();
    const eventTags = new Set([...run.truth.hardCases.map((h) => h.tag), ...run.truth.campaigns.map((c) => c.tag)]);
    let tagged = 0;
    for (const post of run.posts) {
      authorCounts.set(post.author.id, (authorCounts.get(post.author.id) ?? 0) + 1);
      for (const t of tagsOf(post)) {
        if (eventTags.has(t)) continue;
        tagged++;
        tagCounts.set(t, (tagCounts.get(t) ?? 0) + 1);
      }
    }
    const tags = [...tagCounts.values()].sort((a, b) => b - a);
    // Zipf(1.05) over 4,000 tags: the top tag holds ~10% of tag uses, the top 10 about a third.
    expect(tags[0]! / tagged).toBeGreaterThan(0.05);
    expect(tags[0]! / tagged).toBeLessThan(0.2);
    expect(tags.slice(0, 10).reduce((a, b) => a + b, 0) / tagged).toBeGreaterThan(0.2);
    expect(tagCounts.size).toBeGreaterThan(500);
    const authors = [...authorCounts.values()].sort((a, b) => b - a);
    const top1 = authors.slice(0, Math.ceil(authors.length / 100)).reduce((a, b) => a + b, 0);
    expect(top1 / run.posts.length).toBeGreaterThan(0.05);
    expect(authors.filter((n) => n === 1).length / authors.length).toBeGreaterThan(0.3);
  });

  it('writes in many languages and scripts, with tags in text and sometimes in the tags field', () => {
    const langs = new Set(run.posts.map((p) => p.lang));
    expect(langs.size).toBeGreaterThanOrEqual(8);
    expect(run.posts.some((p) => p.tags !== undefined && p.kind === 'original')).toBe(true);
    expect(run.posts.some((p) => /#[^\s]*[^\x00-\x7F]/u.test(p.text))).toBe(true);
    expect(run.posts.some((p) => (p.urls?.length ?? 0) > 0)).toBe(true);
  });

  it('keeps organic originals apart from each other while copy-pasta copies are near-identical', () => {
    const campaignTags = new Set(run.truth.campaigns.map((c) => c.tag));
    const eventTags = new Set([...campaignTags, ...run.truth.hardCases.map((h) => h.tag)]);
    const members = new Set(run.truth.campaigns.flatMap((c) => c.members));
    const shingles = (text: string) => {
      const words = text.replace(/https?:\/\/\S+|[#@]\S+/gu, ' ').toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean);
      const out = new Set<string>();
      for (let i = 0; i + 3 <= words.length; i++) out.add(words.slice(i, i + 3).join(' '));
      return out;
    };
    const jaccard = (a: Set<string>, b: Set<string>) => {
      let inter = 0;
      for (const x of a) if (b.has(x)) inter++;
      return inter / Math.max(1, a.size + b.size - inter);
    };
    const nearDuplicatePairs = (posts: typeof run.posts) => {
      const byTag = new Map<string, { ts: number; author: string; s: Set<string> }[]>();
      for (const p of posts) {
        const s = shingles(p.text);
        if (s.size < 4) continue;
        for (const t of tagsOf(p)) {
          const list = byTag.get(t) ?? [];
          list.push({ ts: Date.parse(p.createdAt), author: p.author.id, s });
          byTag.set(t, list);
        }
      }
      let pairs = 0;
      let near = 0;
      let sum = 0;
      for (const list of byTag.values()) {
        for (let i = 0; i < list.length; i++) {
          for (let j = i + 1; j < list.length && list[j]!.ts - list[i]!.ts < 10 * 60_000; j++) {
            if (list[i]!.author === list[j]!.author) continue;
            pairs++;
            const jac = jaccard(list[i]!.s, list[j]!.s);
            sum += jac;
            if (jac >= 0.8) near++;
          }
        }
      }
      return { pairs, near, mean: sum / Math.max(1, pairs) };
    };
    const organic = nearDuplicatePairs(run.posts.filter((p) => p.kind === 'original' && !members.has(p.author.id) && !tagsOf(p).some((t) => eventTags.has(t))));
    expect(organic.pairs).toBeGreaterThan(5_000);
    expect(organic.near / organic.pairs).toBeLessThan(0.001);
    expect(organic.mean).toBeLessThan(0.05);
    const copypasta = run.truth.campaigns.filter((c) => c.style === 'copypasta');
    expect(copypasta.length).toBeGreaterThan(0);
    for (const c of copypasta) {
      const cm = new Set(c.members);
      const copies = nearDuplicatePairs(run.posts.filter((p) => p.kind === 'original' && cm.has(p.author.id) && tagsOf(p).includes(c.tag)));
      // Word 3-shingles are harsh on edits (one typo changes three shingles): still far above organic.
      expect(copies.mean).toBeGreaterThan(0.3);
      expect(copies.near).toBeGreaterThan(0);
    }
  });
});
