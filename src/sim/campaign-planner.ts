import { AccountProfiles } from './account-registry.ts';
import { CAMPAIGN_PHRASES, type CampaignPhraseBook } from './content/campaign-phrases.ts';
import { EMOJI, URL_DOMAINS } from './content/organic-phrases.ts';
import { FRESH_TAG_PATTERNS, FRESH_TAG_WORDS } from './content/tag-words.ts';
import { placeEvent } from './event-window.ts';
import { CampaignStyles, type CampaignStyle, type SimLanguage } from './options.ts';
import type { SeededRandom } from './seeded-random.ts';
import type { SimWorld } from './sim-world.ts';
import { CopypastaActor, type CopypastaStep } from './sources/copypasta-actor.ts';
import { HyperactiveActor, type HyperactiveStep } from './sources/hyperactive-actor.ts';
import { ParaphraseActor, type ParaphraseStep } from './sources/paraphrase-actor.ts';
import { RepostRingActor, type RingStep } from './sources/repost-ring-actor.ts';
import type { VocabularyTag } from './tag-vocabulary.ts';
import { CAMPAIGN_LANGUAGES, campaignFact, composeCampaignText, composeParaphrase, type CampaignLanguage } from './text-composer.ts';
import { DAY_MS, HOUR_MS, MINUTE_MS, type BaselineRate, type SimAccount, type Startable } from './types.ts';

/** A campaign member who also posts organic content, with its activity weight. */
export interface OrganicMember {
  account: SimAccount;
  activity: number;
}

export interface PlannedCampaigns {
  actors: Startable[];
  organicMembers: OrganicMember[];
}

interface CampaignFrame {
  id: string;
  style: CampaignStyle;
  tag: VocabularyTag;
  target: 'fresh' | 'existing';
  lang: CampaignLanguage;
  book: CampaignPhraseBook;
  subject: string;
  t0: number;
  durationMs: number;
  rng: SeededRandom;
}

/**
 * Draws the seed's campaigns: how many, which styles, their tags, sizes, timing, cadence, account
 * ages and edit rates, each from the ranges in the options, so tuning and evaluation seeds differ.
 */
export function planCampaigns(world: SimWorld, baseline: BaselineRate, meanActivity: number, rng: SeededRandom): PlannedCampaigns {
  const o = world.options.campaigns;
  const count = rng.intInRange(o.count);
  const styles: CampaignStyle[] = [];
  const cycle = rng.shuffle([...o.styles]);
  for (let i = 0; i < count; i++) styles.push(o.ensureEachStyle && i < cycle.length ? (cycle[i] as CampaignStyle) : rng.pick(o.styles));
  const actors: Startable[] = [];
  const organicMembers: OrganicMember[] = [];
  styles.forEach((style, i) => {
    const crng = rng.fork(`campaign-${i}`);
    const frame = campaignFrame(world, style, i, crng);
    const activity = crng.inRange(o.organicActivity) * meanActivity;
    const planned = planOne(world, frame, baseline);
    actors.push(planned.actor);
    if (activity > 0) for (const account of planned.members) organicMembers.push({ account, activity });
  });
  return { actors, organicMembers };
}

function campaignFrame(world: SimWorld, style: CampaignStyle, index: number, rng: SeededRandom): CampaignFrame {
  const o = world.options.campaigns;
  const lang = rng.pick([...CAMPAIGN_LANGUAGES, 'en', 'en']) as CampaignLanguage;
  const subject = rng.pick(FRESH_TAG_WORDS);
  const vocab = world.vocabulary;
  const fresh = rng.chance(o.freshTagShare);
  const tag = fresh
    ? vocab.freshTag(rng, (r) => r.pick(FRESH_TAG_PATTERNS)(subject, r.pick(FRESH_TAG_WORDS), r.int(1, 99)))
    : vocab.claimExisting(rng, 3, 300);
  const durationRange = {
    [CampaignStyles.copypasta]: o.copypasta.durationMin,
    [CampaignStyles.repostRing]: o.repostRing.durationMin,
    [CampaignStyles.hyperactive]: o.hyperactive.durationMin,
    [CampaignStyles.paraphrase]: o.paraphrase.durationMin,
  }[style];
  const { t0, durationMs } = placeEvent(world, rng, rng.inRange(durationRange) * MINUTE_MS);
  return { id: `c${index + 1}-${style}`, style, tag, target: fresh ? 'fresh' : 'existing', lang, book: CAMPAIGN_PHRASES[lang], subject, t0, durationMs, rng };
}

function planOne(world: SimWorld, f: CampaignFrame, baseline: BaselineRate): { actor: Startable; members: SimAccount[] } {
  switch (f.style) {
    case 'copypasta':
      return copypasta(world, f, baseline);
    case 'repost_ring':
      return repostRing(world, f, baseline);
    case 'hyperactive':
      return hyperactive(world, f, baseline);
    case 'paraphrase':
      return paraphrase(world, f, baseline);
  }
}

/**
 * Members of a campaign: `youngShare` of them from one registration batch (created days before
 * the campaign, within `spreadDays`), the rest older accounts.
 */
export function createMembers(
  world: SimWorld,
  rng: SeededRandom,
  count: number,
  youngShare: number,
  t0: number,
  spreadDays: number,
  lang: SimLanguage,
  olderProfile: 'recent' | 'established' = 'recent',
): SimAccount[] {
  const spread = Math.min(20, Math.max(0.1, spreadDays)) * DAY_MS;
  // The batch stays younger than 30 days at the campaign's start.
  const latestCenter = t0 - spread / 2 - 6 * HOUR_MS;
  const earliestCenter = t0 - 28 * DAY_MS + spread / 2;
  const center = latestCenter - rng.next() * Math.max(0, latestCenter - earliestCenter);
  const members: SimAccount[] = [];
  for (let i = 0; i < count; i++) {
    const profile = rng.chance(youngShare)
      ? AccountProfiles.youngBatch(center, spread / DAY_MS, lang, rng)
      : olderProfile === 'recent' && rng.chance(0.6)
        ? AccountProfiles.recent(world.startTs, lang, rng)
        : AccountProfiles.established(world.startTs, lang, rng);
    members.push(world.accounts.create(profile, rng));
  }
  return members;
}

function tracker(world: SimWorld, f: CampaignFrame, baseline: BaselineRate, params: Record<string, number | string>, sources: string[] = []) {
  const t = world.tracker(f.id, f.tag.tag, f.tag.display, baseline(f.tag.tag, f.t0 + Math.min(f.durationMs, 30 * MINUTE_MS) / 2));
  world.addCampaign({
    tracker: t,
    style: f.style,
    target: f.target,
    sources,
    params: { lang: f.lang, plannedStart: new Date(f.t0).toISOString(), plannedDurationMin: round1(f.durationMs / MINUTE_MS), ...params },
  });
  return t;
}

/** Times of waves or episodes: the first at the start, the others spread over the campaign. */
function waveTimes(rng: SeededRandom, t0: number, durationMs: number, count: number): number[] {
  const times = [t0];
  for (let i = 1; i < count; i++) times.push(t0 + rng.next() * durationMs * 0.9);
  return times.sort((a, b) => a - b);
}

function copypasta(world: SimWorld, f: CampaignFrame, baseline: BaselineRate) {
  const o = world.options.campaigns.copypasta;
  const rng = f.rng;
  const youngShare = rng.inRange(o.youngShare);
  const spreadDays = rng.inRange(o.creationSpreadDays);
  const members = createMembers(world, rng, rng.intInRange(o.members), youngShare, f.t0, spreadDays, f.lang);
  const templateCount = rng.intInRange(o.templates);
  const templates = Array.from({ length: templateCount }, () => composeCampaignText(rng, f.book, f.subject));
  const assigned = members.map(() => rng.int(0, templateCount - 1));
  const waves = rng.intInRange(o.waves);
  const spreadSec = rng.inRange(o.waveSpreadSec);
  const participation = rng.inRange(o.participation);
  const editRate = rng.inRange(o.editRate);
  const steps: CopypastaStep[] = [];
  for (const waveTs of waveTimes(rng, f.t0, f.durationMs, waves)) {
    const indexes = rng.sample(
      members.map((_, i) => i),
      Math.max(2, Math.round(participation * members.length)),
    );
    for (const i of indexes) {
      const delay = Math.min(f.durationMs, rng.lognormal(spreadSec * 1_000, 0.7));
      steps.push({ ts: waveTs + delay, account: members[i] as SimAccount, template: assigned[i] ?? 0 });
    }
  }
  const mentions = Array.from({ length: rng.int(0, 3) }, () => `${rng.pick(FRESH_TAG_WORDS).toLowerCase()}${rng.pick(['news', 'tv', 'official', 'press'])}`);
  const url = rng.chance(0.5) ? `https://${rng.pick(URL_DOMAINS)}/x/${rng.uint32().toString(36)}` : undefined;
  const t = tracker(world, f, baseline, {
    members: members.length,
    youngShare: round2(youngShare),
    creationSpreadDays: round1(spreadDays),
    templates: templateCount,
    waves,
    waveSpreadSec: round1(spreadSec),
    participation: round2(participation),
    editRate: round2(editRate),
  });
  const actor = new CopypastaActor(world, steps, t, f.tag, { templates, book: f.book, lang: f.lang, editRate, emojis: rng.sample(EMOJI, 5), mentions, url }, rng);
  return { actor, members };
}

function repostRing(world: SimWorld, f: CampaignFrame, baseline: BaselineRate) {
  const o = world.options.campaigns.repostRing;
  const rng = f.rng;
  const youngShare = rng.inRange(o.youngShare);
  const members = createMembers(world, rng, rng.intInRange(o.members), youngShare, f.t0, rng.float(1, 15), f.lang);
  const sources = Array.from({ length: rng.intInRange(o.seeds) }, () =>
    world.accounts.create({ ...AccountProfiles.established(world.startTs, f.lang, rng), followersMedian: 20_000, followersSigma: 1 }, rng),
  );
  const seedPosts = rng.intInRange(o.seedPosts);
  const participation = rng.inRange(o.participation);
  const delayMedian = rng.inRange(o.delayMedianSec) * 1_000;
  const steps: RingStep[] = [];
  waveTimes(rng, f.t0, f.durationMs, seedPosts).forEach((ts, k) => {
    steps.push({ ts, account: sources[k % sources.length] as SimAccount, seedPost: k, kind: 'seed' });
    for (const account of rng.sample(members, Math.max(2, Math.round(participation * members.length)))) {
      const delay = Math.min(10 * MINUTE_MS, Math.max(1_000, rng.lognormal(delayMedian, 0.6)));
      steps.push({ ts: ts + delay, account, seedPost: k, kind: rng.chance(0.05) ? 'quote' : 'repost' });
    }
  });
  const t = tracker(
    world,
    f,
    baseline,
    { members: members.length, sources: sources.length, seedPosts, participation: round2(participation), delayMedianSec: round1(delayMedian / 1_000), youngShare: round2(youngShare) },
    sources.map((s) => s.id),
  );
  const actor = new RepostRingActor(world, steps, t, f.tag, { book: f.book, subject: f.subject, lang: f.lang }, rng);
  return { actor, members: [...members, ...sources] };
}

function hyperactive(world: SimWorld, f: CampaignFrame, baseline: BaselineRate) {
  const o = world.options.campaigns.hyperactive;
  const rng = f.rng;
  const youngShare = rng.inRange(o.youngShare);
  const members = createMembers(world, rng, rng.intInRange(o.accounts), youngShare, f.t0, rng.float(1, 10), f.lang);
  const interval = rng.inRange(o.intervalSec) * 1_000;
  const jitter = rng.inRange(o.jitter);
  const variants = Array.from({ length: rng.intInRange(o.textVariants) }, () => composeParaphrase(rng, f.book, f.subject));
  const steps: HyperactiveStep[] = [];
  for (const account of members) {
    const own = interval * (1 + 0.1 * rng.normal());
    for (let t = f.t0 + rng.next() * own; t < f.t0 + f.durationMs; t += Math.max(1_000, own * (1 + jitter * rng.normal()))) steps.push({ ts: t, account });
  }
  const t = tracker(world, f, baseline, {
    accounts: members.length,
    intervalSec: round1(interval / 1_000),
    jitter: round2(jitter),
    textVariants: variants.length,
    youngShare: round2(youngShare),
  });
  const actor = new HyperactiveActor(world, steps, t, f.tag, { variants, lang: f.lang, repostShare: 0.15 }, rng);
  return { actor, members };
}

function paraphrase(world: SimWorld, f: CampaignFrame, baseline: BaselineRate) {
  const o = world.options.campaigns.paraphrase;
  const rng = f.rng;
  const youngShare = rng.inRange(o.youngShare);
  const members = createMembers(world, rng, rng.intInRange(o.members), youngShare, f.t0, rng.float(3, 20), f.lang, 'established');
  const episodes = rng.intInRange(o.episodes);
  const spread = rng.inRange(o.episodeSpreadMin) * MINUTE_MS;
  const participation = rng.inRange(o.participation);
  const repostShare = rng.inRange(o.repostShare);
  const steps: ParaphraseStep[] = [];
  for (const ts of waveTimes(rng, f.t0, f.durationMs, episodes)) {
    for (const account of rng.sample(members, Math.max(2, Math.round(participation * members.length)))) {
      steps.push({ ts: ts + rng.next() * spread, account });
    }
  }
  const t = tracker(world, f, baseline, {
    members: members.length,
    episodes,
    episodeSpreadMin: round1(spread / MINUTE_MS),
    participation: round2(participation),
    repostShare: round2(repostShare),
    youngShare: round2(youngShare),
  });
  const actor = new ParaphraseActor(world, steps, t, f.tag, { book: f.book, subject: f.subject, fact: campaignFact(rng, f.lang), lang: f.lang, repostShare }, rng);
  return { actor, members };
}

function round1(x: number): number {
  return Math.round(x * 10) / 10;
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}
