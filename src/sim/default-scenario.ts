import { planCampaigns } from './campaign-planner.ts';
import { planHardCases } from './hard-case-planner.ts';
import { createOrganicPopulation, meanActivity } from './organic-population.ts';
import { DiurnalRate } from './rate-curve.ts';
import type { SimWorld } from './sim-world.ts';
import { BackgroundActor, meanTagsPerPost } from './sources/background-actor.ts';
import { TagVocabulary } from './tag-vocabulary.ts';
import type { BaselineRate, Startable } from './types.ts';

/** Organic accounts per unit of rate (posts/min) when the options do not fix the population. */
const ACCOUNTS_PER_RATE = 200;

/** Background, hard cases and campaigns: the stream tests, benchmarks and evaluations run on. */
export function planDefaultScenario(world: SimWorld): Startable[] {
  const o = world.options;
  const rng = world.rng;
  world.vocabulary = new TagVocabulary(o.background.tagVocabulary, o.background.zipfExponent, rng.fork('vocabulary'));
  const h = o.hardCases;
  const crowdsNeeded = o.ratePerMin > 0 || h.breakingNews.count + h.celebrityRepost.count + h.liveEvent.count > 0;
  const size =
    o.background.accounts > 0 ? o.background.accounts : crowdsNeeded ? Math.min(2_000_000, Math.max(2_000, Math.round(o.ratePerMin * ACCOUNTS_PER_RATE))) : 0;
  const population = createOrganicPopulation(world, size, o.background, rng.fork('population'));
  const baseline = organicBaseline(world);
  const hardCases = planHardCases(world, population, baseline, rng.fork('hard-cases'));
  const campaigns = planCampaigns(world, baseline, meanActivity(population.activity), rng.fork('campaigns'));
  const backgroundRng = rng.fork('background');
  const actors: Startable[] = [];
  if (o.ratePerMin > 0) {
    const authors = [...population.accounts, ...campaigns.organicMembers.map((m) => m.account)];
    const activity = [...population.activity, ...campaigns.organicMembers.map((m) => m.activity)];
    actors.push(new BackgroundActor(world, o.background, authors, activity, o.ratePerMin, backgroundRng));
  }
  return [...actors, ...hardCases, ...campaigns.actors];
}

/** Expected organic posts/min of a tag at a time: diurnal rate × tags per post × the tag's Zipf share. */
export function organicBaseline(world: SimWorld): BaselineRate {
  const o = world.options;
  const diurnal = new DiurnalRate(o.ratePerMin, o.background.diurnalAmplitude, o.background.peakHourUtc, world.startTs, world.endTs);
  const tagsPerPost = meanTagsPerPost(o.background);
  return (tag, ts) => diurnal.at(ts) * tagsPerPost * world.vocabulary.shareOf(tag);
}
