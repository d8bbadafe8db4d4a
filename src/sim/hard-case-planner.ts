import { AccountProfiles } from './account-registry.ts';
import { LIVE_CHEERS, NEWS_LEADS } from './content/organic-phrases.ts';
import { FRESH_TAG_WORDS, LIVE_EVENTS, NEWS_EVENTS } from './content/tag-words.ts';
import { placeEvent } from './event-window.ts';
import { uniformPicker, type OrganicPopulation } from './organic-population.ts';
import { HardCaseKinds } from './options.ts';
import { PiecewiseRate } from './rate-curve.ts';
import type { SeededRandom } from './seeded-random.ts';
import type { SimWorld } from './sim-world.ts';
import { CelebrityCascadeActor, type CascadeStep } from './sources/celebrity-cascade-actor.ts';
import { CrowdWaveActor } from './sources/crowd-wave-actor.ts';
import { LoneSpammerActor } from './sources/lone-spammer-actor.ts';
import type { ScriptStep } from './sources/scripted-actor.ts';
import { composeOrganicText } from './text-composer.ts';
import { DAY_MS, HOUR_MS, MINUTE_MS, type BaselineRate, type SimAccount, type Startable } from './types.ts';

/**
 * The organic hard cases: events a coordination detector must NOT flag (a burst detector should
 * catch the first three). Each is labelled in the truth with its span.
 */
export function planHardCases(world: SimWorld, population: OrganicPopulation, baseline: BaselineRate, rng: SeededRandom): Startable[] {
  const o = world.options.hardCases;
  const actors: Startable[] = [];
  const crowd = population.established.length > 100 ? population.established : population.accounts;
  for (let i = 0; i < o.breakingNews.count; i++) actors.push(breakingNews(world, crowd, baseline, rng.fork(`breaking-${i}`), i));
  for (let i = 0; i < o.celebrityRepost.count; i++) actors.push(celebrity(world, population.accounts, baseline, rng.fork(`celebrity-${i}`), i));
  for (let i = 0; i < o.liveEvent.count; i++) actors.push(liveEvent(world, crowd, baseline, rng.fork(`live-${i}`), i));
  for (let i = 0; i < o.loneSpammer.count; i++) actors.push(loneSpammer(world, baseline, rng.fork(`spammer-${i}`), i));
  return actors;
}

function breakingNews(world: SimWorld, crowd: readonly SimAccount[], baseline: BaselineRate, rng: SeededRandom, n: number): Startable {
  const o = world.options.hardCases.breakingNews;
  const tag = world.vocabulary.freshTag(rng, (r) => `${r.pick(NEWS_EVENTS)}${r.pick(FRESH_TAG_WORDS)}`);
  const { t0, durationMs } = placeEvent(world, rng, rng.inRange(o.durationMin) * MINUTE_MS);
  const riseMs = Math.min(durationMs / 3, rng.inRange(o.riseMin) * MINUTE_MS);
  const tau = (durationMs - riseMs) / 3;
  const points: [number, number][] = [[t0, 0.5], [t0 + riseMs, 1]];
  for (let t = t0 + riseMs + 5 * MINUTE_MS; t < t0 + durationMs; t += 5 * MINUTE_MS) points.push([t, Math.exp(-(t - t0 - riseMs) / tau)]);
  points.push([t0 + durationMs, 0]);
  const shape = new PiecewiseRate(points);
  const curve = shape.scaled(rng.intInRange(o.posts) / shape.integral());
  const outlets = Array.from({ length: 12 }, () => world.accounts.create(AccountProfiles.outlet(world.startTs, rng.pick(['en', 'en', 'es', 'fr', 'de'])), rng));
  const pickCrowd = uniformPicker(crowd);
  const tracker = world.tracker(`hc-breaking_news-${n + 1}`, tag.tag, tag.display, baseline(tag.tag, t0));
  world.addHardCase({ tracker, kind: HardCaseKinds.breakingNews, authors: [], burstCandidate: true });
  const repostShare = rng.inRange(o.repostShare);
  return new CrowdWaveActor(
    world,
    {
      tag,
      curve,
      // Outlets report first and are reposted most.
      pickAuthor: (r) => (r.chance(0.02) ? r.pick(outlets) : pickCrowd(r)),
      repostShare,
      replyShare: 0.08,
      quoteShare: 0.05,
      composeText: (r, author) => {
        const leads = NEWS_LEADS[author.lang];
        const body = composeOrganicText(r, author.lang);
        return leads !== undefined && r.chance(0.6) ? `${r.pick(leads)} ${body}` : body;
      },
      tracker,
      poolBoost: 1,
    },
    rng,
  );
}

function celebrity(world: SimWorld, crowd: readonly SimAccount[], baseline: BaselineRate, rng: SeededRandom, n: number): Startable {
  const o = world.options.hardCases.celebrityRepost;
  const tag = world.vocabulary.freshTag(rng, (r) => `${r.pick(FRESH_TAG_WORDS)}${r.pick(['Tour', 'Album', 'Live', 'Movie', 'Drop', 'Single'])}`);
  const star = world.accounts.create(AccountProfiles.celebrity(world.startTs, rng.pick(['en', 'en', 'es', 'pt', 'ko']), o.followers), rng);
  const { t0 } = placeEvent(world, rng, 90 * MINUTE_MS);
  const reposts = rng.intInRange(o.reposts);
  const median = rng.inRange(o.medianDelayMin) * MINUTE_MS;
  const fans = rng.sample(crowd, reposts);
  const steps: CascadeStep[] = [{ ts: t0, account: star, kind: 'root' }];
  for (let i = 0; i < reposts; i++) {
    const delay = Math.min(3 * HOUR_MS, Math.max(2_000, rng.lognormal(median, 1)));
    const u = rng.next();
    steps.push({ ts: t0 + delay, account: fans[i % fans.length] as SimAccount, kind: u < 0.04 ? 'reply' : u < 0.07 ? 'quote' : 'repost' });
  }
  const tracker = world.tracker(`hc-celebrity_repost-${n + 1}`, tag.tag, tag.display, baseline(tag.tag, t0));
  world.addHardCase({ tracker, kind: HardCaseKinds.celebrityRepost, authors: [star.id], burstCandidate: true });
  return new CelebrityCascadeActor(world, steps, tracker, tag, rng);
}

function liveEvent(world: SimWorld, crowd: readonly SimAccount[], baseline: BaselineRate, rng: SeededRandom, n: number): Startable {
  const o = world.options.hardCases.liveEvent;
  const tag = world.vocabulary.freshTag(rng, (r) => `${r.pick(LIVE_EVENTS)}${r.pick(FRESH_TAG_WORDS)}`);
  const leadMs = rng.inRange(o.leadInMin) * MINUTE_MS;
  const placed = placeEvent(world, rng, leadMs + rng.inRange(o.durationMin) * MINUTE_MS + 15 * MINUTE_MS);
  // A scheduled event starts on the quarter hour.
  const scheduled = Math.max(placed.t0 + leadMs, Math.ceil((placed.t0 + leadMs) / (15 * MINUTE_MS)) * 15 * MINUTE_MS);
  const end = Math.min(world.endTs, placed.t0 + placed.durationMs);
  // Relative rate: quiet anticipation, a jump at the scheduled time, spikes at highlights, a short tail.
  const points: [number, number][] = [];
  const at = (t: number, rate: number) => {
    const previous = points[points.length - 1];
    if (previous === undefined || t > previous[0]) points.push([t, rate]);
  };
  at(placed.t0, 0.02);
  at(scheduled - MINUTE_MS, 0.08);
  at(scheduled, 0.8);
  const mainEnd = Math.max(scheduled + 5 * MINUTE_MS, end - 15 * MINUTE_MS);
  const spikes = Array.from({ length: rng.int(2, 5) }, () => rng.float(scheduled + 5 * MINUTE_MS, mainEnd)).sort((a, b) => a - b);
  for (const spike of spikes) {
    at(spike - MINUTE_MS, 0.7);
    at(spike, 1.8);
    at(spike + 3 * MINUTE_MS, 0.75);
  }
  at(mainEnd, 0.9);
  at(Math.max(end, mainEnd + MINUTE_MS), 0);
  at((points[points.length - 1]?.[0] ?? scheduled) + MINUTE_MS, 0);
  const shape = new PiecewiseRate(points);
  const curve = shape.scaled(rng.intInRange(o.posts) / shape.integral());
  const pick = uniformPicker(crowd);
  const tracker = world.tracker(`hc-live_event-${n + 1}`, tag.tag, tag.display, baseline(tag.tag, scheduled));
  world.addHardCase({ tracker, kind: HardCaseKinds.liveEvent, authors: [], burstCandidate: true });
  return new CrowdWaveActor(
    world,
    {
      tag,
      curve,
      pickAuthor: pick,
      repostShare: 0.2,
      replyShare: 0.08,
      quoteShare: 0.04,
      composeText: (r, author) => {
        const cheers = LIVE_CHEERS[author.lang];
        return cheers !== undefined && r.chance(0.7) ? `${r.pick(cheers)} ${r.chance(0.4) ? composeOrganicText(r, author.lang) : ''}`.trim() : composeOrganicText(r, author.lang);
      },
      tracker,
    },
    rng,
  );
}

function loneSpammer(world: SimWorld, baseline: BaselineRate, rng: SeededRandom, n: number): Startable {
  const o = world.options.hardCases.loneSpammer;
  const vocab = world.vocabulary;
  const tag = rng.chance(0.5) ? vocab.claimExisting(rng, 0, 29) : vocab.freshTag(rng, (r) => `Deals${r.pick(FRESH_TAG_WORDS)}`);
  const account = world.accounts.create(
    { ...AccountProfiles.recent(world.startTs, 'en', rng), createdFromTs: world.startTs - 90 * DAY_MS, followersMedian: 40 },
    rng,
  );
  const { t0, durationMs } = placeEvent(world, rng, rng.inRange(o.durationMin) * MINUTE_MS);
  const interval = rng.inRange(o.intervalSec) * 1_000;
  const steps: ScriptStep[] = [];
  for (let t = t0; t < t0 + durationMs; t += Math.max(3_000, interval * (1 + 0.35 * rng.normal()))) steps.push({ ts: t });
  const tracker = world.tracker(`hc-lone_spammer-${n + 1}`, tag.tag, tag.display, baseline(tag.tag, t0));
  world.addHardCase({ tracker, kind: HardCaseKinds.loneSpammer, authors: [account.id], burstCandidate: false });
  return new LoneSpammerActor(world, steps, tracker, account, tag, rng);
}
