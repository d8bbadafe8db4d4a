import { AccountProfiles } from './account-registry.ts';
import { CAMPAIGN_PHRASES } from './content/campaign-phrases.ts';
import {
  MACRONLEAKS_COPYPASTA,
  MACRONLEAKS_FIRST_POST,
  MACRONLEAKS_ORGANIC,
  MACRONLEAKS_PINNED_TAGS,
  MACRONLEAKS_PUSH,
  MACRONLEAKS_RING_SEEDS,
} from './content/macronleaks-phrases.ts';
import { createMembers } from './campaign-planner.ts';
import { createOrganicPopulation } from './organic-population.ts';
import { CampaignStyles, type SimLanguage, type SimOptionsInput } from './options.ts';
import { PiecewiseRate } from './rate-curve.ts';
import { RecentPosts } from './recent-posts.ts';
import { RotatingCast } from './rotating-cast.ts';
import type { SeededRandom } from './seeded-random.ts';
import type { SimWorld } from './sim-world.ts';
import { BackgroundActor } from './sources/background-actor.ts';
import { CopypastaActor, type CopypastaStep } from './sources/copypasta-actor.ts';
import { CrowdWaveActor } from './sources/crowd-wave-actor.ts';
import { HyperactiveActor, type HyperactiveStep } from './sources/hyperactive-actor.ts';
import { RepostRingActor, type RingStep } from './sources/repost-ring-actor.ts';
import { ScriptedRepostActor, type RepostStep } from './sources/scripted-repost-actor.ts';
import { TagVocabulary, type VocabularyTag } from './tag-vocabulary.ts';
import { composeOrganicText, composeReaction } from './text-composer.ts';
import { round, type EventTracker } from './truth.ts';
import { MacronleaksFiguresObserver, type MacronleaksTimeline } from './macronleaks-figures.ts';
import { DAY_MS, HOUR_MS, MINUTE_MS, type PostRef, type SimAccount, type Startable } from './types.ts';

/** The published figures the scenario is shaped on (volumes at scale 1). */
export const MACRONLEAKS_TIMELINE = {
  /** The dump appeared on a forum. */
  leakAt: '2017-05-05T18:35:00.000Z',
  /** The first widely shared post with the tag came under 15 minutes later. */
  firstPostDelayMin: [11, 14.5] as readonly [number, number],
  repostsFirstMinute: 15,
  repostsFirstFiveMinutes: 87,
  /** Posts with the tag 3.5 h and 13 h after the first one. */
  postsAfter3_5h: 47_000,
  postsAfter13h: 150_000,
  /** Accounts that posted the tag. */
  accounts: 100_000,
} as const;

/** Options of the #MacronLeaks demo scenario (scale 0.1 by default, so the demo runs in a minute or two). */
export function macronleaksScenario(seed: number, overrides: Omit<SimOptionsInput, 'seed' | 'scenario'> = {}): SimOptionsInput {
  return { scale: 0.1, ...overrides, seed, scenario: 'macronleaks' };
}

const BOT_RING_SHARE = 0.55;
const RING_BUDGET_SHARE = 0.6;
const SOURCES = 5;
const HYPERACTIVE_OTHERS = 3;

/**
 * The evening of 5 May 2017, as published: the leak on a forum at 18:35 UTC, the first widely
 * shared #MacronLeaks post under 15 minutes later (15 reposts in its first minute, 87 in five),
 * ~47,000 posts in 3.5 h and ~150,000 in 13 h from ~100,000 accounts of which ~18% bots, one
 * account posting 486 times in 12 h, the top posts mostly in English. Volumes × `scale`; the
 * first-post cascade and the top account's cadence are per-account facts and are not scaled.
 */
export function planMacronleaksScenario(world: SimWorld): Startable[] {
  const o = world.options;
  const s = o.scale;
  const ml = o.macronleaks;
  const rng = world.rng;
  world.vocabulary = new TagVocabulary(o.background.tagVocabulary, o.background.zipfExponent, rng.fork('vocabulary'), MACRONLEAKS_PINNED_TAGS);
  const vocab = world.vocabulary;
  const tag = vocab.freshTag(rng, () => 'MacronLeaks');
  const companions = MACRONLEAKS_PINNED_TAGS.slice(0, 7).map((_, i) => vocab.get(i));

  // The French evening: mostly French and English accounts in the background.
  const backgroundOptions = { ...o.background, languages: { fr: 0.5, en: 0.3, es: 0.05, de: 0.05, it: 0.05, ar: 0.05 } };
  const size = o.background.accounts > 0 ? o.background.accounts : Math.max(2_000, Math.round(o.ratePerMin * 200));
  const population = createOrganicPopulation(world, size, backgroundOptions, rng.fork('population'));

  const t = timeline(world, rng.fork('timeline'));
  const F = t.firstPostTs;
  const accountsTarget = Math.max(50, Math.round(MACRONLEAKS_TIMELINE.accounts * s));
  const botsTarget = Math.max(20, Math.round(ml.botShare * accountsTarget));
  const humansTarget = Math.max(10, accountsTarget - botsTarget);

  // Accounts: the organic audience, the amplified sources, the bots.
  const crng = rng.fork('cast');
  const audience = createAudience(world, Math.ceil(humansTarget * 1.02) + 50, crng);
  const influencer = world.accounts.create({ ...AccountProfiles.established(world.startTs, 'en', crng), followersRange: [80_000, 200_000] }, crng);
  const amplifiers = Array.from({ length: SOURCES - 1 }, () =>
    world.accounts.create({ ...AccountProfiles.established(world.startTs, 'en', crng), followersRange: [10_000, 120_000] }, crng),
  );
  const hyper = createMembers(world, crng, 1 + HYPERACTIVE_OTHERS, 0.5, F, 5, 'en');
  const botsLeft = Math.max(10, botsTarget - SOURCES - hyper.length);
  const ringSize = Math.max(5, Math.round(botsLeft * BOT_RING_SHARE));
  const copySize = Math.max(5, botsLeft - ringSize);
  const ringMembers = [...createMembers(world, crng, Math.round(ringSize * 0.8), 0.7, F, 12, 'en'), ...createMembers(world, crng, ringSize - Math.round(ringSize * 0.8), 0.7, F, 12, 'fr')];
  const copyMembers = [...createMembers(world, crng, Math.round(copySize * 0.7), 0.9, F, 8, 'en'), ...createMembers(world, crng, copySize - Math.round(copySize * 0.7), 0.9, F, 8, 'fr')];
  const bots = new Set([influencer, ...amplifiers, ...hyper, ...ringMembers, ...copyMembers].map((a) => a.id));

  // The hyperactive accounts: one at 486 posts in 12 h, a few others at lower cadence.
  const hrng = rng.fork('hyperactive');
  const hyperSteps: HyperactiveStep[] = [];
  const top = hyper[0] as SimAccount;
  const topStart = F + 5 * MINUTE_MS;
  const topInterval = (12 * HOUR_MS - 10 * MINUTE_MS) / Math.max(1, ml.topAccountPosts);
  for (let k = 0; k < ml.topAccountPosts; k++) hyperSteps.push({ ts: topStart + k * topInterval + topInterval * 0.03 * hrng.normal(), account: top });
  for (const account of hyper.slice(1)) {
    const count = hrng.int(140, 260);
    const interval = (12 * HOUR_MS) / count;
    const start = F + hrng.float(5, 60) * MINUTE_MS;
    for (let k = 0; k < count; k++) hyperSteps.push({ ts: start + k * interval + interval * 0.05 * hrng.normal(), account });
  }
  const hyperBefore = (limit: number) => hyperSteps.filter((x) => x.ts < limit && x.ts < world.endTs).length;

  // The tag's rate: a fast rise, a plateau, a slow night; scaled to the published cumulative counts.
  const cascadePosts = 1 + MACRONLEAKS_TIMELINE.repostsFirstFiveMinutes;
  const p1 = Math.max(1, MACRONLEAKS_TIMELINE.postsAfter3_5h * s - cascadePosts - hyperBefore(F + 210 * MINUTE_MS));
  const p2 = Math.max(1, (MACRONLEAKS_TIMELINE.postsAfter13h - MACRONLEAKS_TIMELINE.postsAfter3_5h) * s - (hyperBefore(F + 780 * MINUTE_MS) - hyperBefore(F + 210 * MINUTE_MS)));
  const profile = tagProfile(F, Math.max(world.endTs, F + 800 * MINUTE_MS), p1, p2);
  const profileTotal = profile.integral(F, world.endTs);

  // Bots: a repost ring around the sources (the first post is its first source post) and copy-pasta.
  const botBudget = ml.botPostShare * profileTotal;
  const ringBudget = botBudget * RING_BUDGET_SHARE;
  const copyBudget = Math.round(botBudget - ringBudget);
  const rrng = rng.fork('ring');
  const ringCast = new RotatingCast(ringMembers, rrng);
  const firstBots = Math.round(MACRONLEAKS_TIMELINE.repostsFirstMinute * 0.65);
  const firstBotsFive = Math.round((MACRONLEAKS_TIMELINE.repostsFirstFiveMinutes - MACRONLEAKS_TIMELINE.repostsFirstMinute) * 0.55);
  const ringSteps: RingStep[] = [{ ts: F, account: influencer, seedPost: 0, kind: 'seed' }];
  for (const account of ringCast.takeMany(firstBots)) ringSteps.push({ ts: F + rrng.float(2, 59) * 1_000, account, seedPost: 0, kind: 'repost' });
  for (const account of ringCast.takeMany(firstBotsFive)) ringSteps.push({ ts: F + rrng.float(61, 299) * 1_000, account, seedPost: 0, kind: 'repost' });
  const seedCount = Math.min(80, Math.max(6, Math.round(ringBudget / Math.max(1, ringMembers.length * 0.25))));
  const perSeed = Math.min(ringMembers.length, Math.max(2, Math.round((ringBudget - firstBots - firstBotsFive - seedCount) / seedCount)));
  profile.sampleTimes(rrng, seedCount, F + 10 * MINUTE_MS, world.endTs).forEach((ts, i) => {
    const k = i + 1;
    ringSteps.push({ ts, account: k % 3 === 0 ? influencer : (amplifiers[k % amplifiers.length] as SimAccount), seedPost: k, kind: 'seed' });
    for (const account of ringCast.takeMany(perSeed)) {
      ringSteps.push({ ts: ts + Math.min(5 * MINUTE_MS, Math.max(1_000, rrng.lognormal(8_000, 0.8))), account, seedPost: k, kind: rrng.chance(0.03) ? 'quote' : 'repost' });
    }
  });

  const prng = rng.fork('copypasta');
  const copyCast = new RotatingCast(copyMembers, prng);
  const templates = MACRONLEAKS_COPYPASTA;
  const copySteps: CopypastaStep[] = profile.sampleTimes(prng, copyBudget, F + 5 * MINUTE_MS, world.endTs).map((ts) => {
    const account = copyCast.take();
    const choices = templates.map((x, i) => ({ ...x, i })).filter((x) => x.lang === (account.lang === 'fr' ? 'fr' : 'en'));
    return { ts, account, template: (prng.pick(choices).i) };
  });

  // Humans: most post the tag once or twice; new accounts keep arriving at the rate that gives the published total.
  const humanPostsExpected = (1 - ml.botPostShare) * profileTotal + (MACRONLEAKS_TIMELINE.repostsFirstFiveMinutes - firstBots - firstBotsFive);
  const pickHuman = humanPicker(audience, Math.min(1, humansTarget / Math.max(1, humanPostsExpected)));
  const humanFirstSteps: RepostStep[] = [];
  const hfrng = rng.fork('first-humans');
  for (let i = 0; i < MACRONLEAKS_TIMELINE.repostsFirstMinute - firstBots; i++) humanFirstSteps.push({ ts: F + hfrng.float(2, 59) * 1_000, account: pickHuman(hfrng) });
  for (let i = 0; i < MACRONLEAKS_TIMELINE.repostsFirstFiveMinutes - MACRONLEAKS_TIMELINE.repostsFirstMinute - firstBotsFive; i++) {
    humanFirstSteps.push({ ts: F + hfrng.float(61, 299) * 1_000, account: pickHuman(hfrng) });
  }

  // Trackers: one per campaign, one for the organic crowd, and the statistics over all of the tag's posts.
  const ringTracker = campaign(world, 'ml-repost_ring', tag, CampaignStyles.repostRing, [influencer, ...amplifiers], {
    members: ringMembers.length,
    sources: SOURCES,
    seedPosts: seedCount + 1,
    repostsPerSeed: perSeed,
    delayMedianSec: 8,
  });
  const copyTracker = campaign(world, 'ml-copypasta', tag, CampaignStyles.copypasta, [], { members: copyMembers.length, templates: templates.length, editRate: 1 });
  const hyperTracker = campaign(world, 'ml-hyperactive', tag, CampaignStyles.hyperactive, [], { accounts: hyper.length, topAccountPosts: ml.topAccountPosts, intervalSec: round(topInterval / 1_000, 1) });
  const organicTracker = world.tracker('ml-organic', tag.tag, tag.display, 0);
  const figures = new MacronleaksFiguresObserver(t, bots, tag);
  for (const tr of [ringTracker, copyTracker, hyperTracker, organicTracker]) tr.onAdd = (post, ts) => figures.observe(post, ts);
  world.figures = () => figures.result(s);
  world.extraBursts = () => {
    const b = figures.all.burst('campaign', o.truth.burstMinPerMin, o.truth.burstBaselineFactor);
    return b === null ? [] : [b];
  };

  // The crowd reposts the sources' posts (English) far more than anyone else's.
  const pool = new RecentPosts(8_192);
  let firstPost: PostRef | undefined;
  const ring = new RepostRingActor(
    world,
    ringSteps,
    ringTracker,
    tag,
    {
      book: CAMPAIGN_PHRASES.en,
      subject: 'Macron',
      lang: 'en',
      composeSeed: (r) => (firstPost === undefined ? MACRONLEAKS_FIRST_POST : r.pick(MACRONLEAKS_RING_SEEDS).replace('{n}', String(r.int(5, 15)))),
      seedUrl: (r) => `https://${r.pick(['archive.example.org', 'pastebin.example.com', 'files.example.net'])}/${r.uint32().toString(36)}`,
    },
    rrng,
    (ref) => {
      if (firstPost === undefined) {
        firstPost = ref;
        figures.firstPost = ref;
      }
      pool.add(ref, ref === firstPost ? 400 : 150);
    },
  );
  const firstHumans = new ScriptedRepostActor(world, humanFirstSteps, organicTracker, () => firstPost);
  const copypasta = new CopypastaActor(
    world,
    copySteps,
    copyTracker,
    tag,
    {
      templates: templates.map((x) => x.text),
      templateLangs: templates.map((x) => x.lang),
      book: CAMPAIGN_PHRASES.en,
      lang: 'en',
      editRate: 1,
      emojis: ['🔥', '🚨', '🇫🇷', '👇', '‼️'],
      mentions: ['frenchpress', 'realnewsfr'],
      url: 'https://archive.example.org/macronleaks',
    },
    prng,
  );
  const hyperactive = new HyperactiveActor(world, hyperSteps, hyperTracker, tag, { variants: MACRONLEAKS_PUSH, lang: 'en', repostShare: 0.1 }, hrng);
  const crowd = new CrowdWaveActor(
    world,
    {
      tag,
      curve: profile.scaled(1 - ml.botPostShare),
      pickAuthor: pickHuman,
      repostShare: 0.55,
      replyShare: 0.07,
      quoteShare: 0.05,
      composeText: (r, author) => {
        const lang = author.lang === 'fr' ? 'fr' : 'en';
        const lead = r.pick(MACRONLEAKS_ORGANIC[lang]);
        return r.chance(0.5) ? `${lead} ${r.chance(0.5) ? composeReaction(r, lang) : composeOrganicText(r, lang)}` : lead;
      },
      langOf: (_r, author) => (author.lang === 'fr' ? 'fr' : 'en'),
      companionTags: companions,
      tracker: organicTracker,
      pool,
    },
    rng.fork('crowd'),
  );

  const actors: Startable[] = [ring, firstHumans, copypasta, hyperactive, crowd];
  if (o.ratePerMin > 0) {
    const authors = [...population.accounts, ...audience];
    const activity = [...population.activity, ...audience.map(() => rng.pareto(1, o.background.activityParetoAlpha))].map((a) => Math.min(400, a));
    actors.push(new BackgroundActor(world, backgroundOptions, authors, activity, o.ratePerMin, rng.fork('background')));
  }
  return actors;
}

/** The leak at its historical time when the span holds it; otherwise early in the span. */
function timeline(world: SimWorld, rng: SeededRandom): MacronleaksTimeline {
  const historical = Date.parse(MACRONLEAKS_TIMELINE.leakAt);
  const span = world.endTs - world.startTs;
  const leakTs = historical >= world.startTs + 30 * MINUTE_MS && historical < world.endTs - HOUR_MS ? historical : world.startTs + Math.min(2.5 * HOUR_MS, 0.15 * span);
  return { leakTs, firstPostTs: Math.floor(leakTs + rng.inRange(MACRONLEAKS_TIMELINE.firstPostDelayMin) * MINUTE_MS) };
}

/**
 * Posts/min of the tag after the first post's five minutes: rise, plateau, night. The first 3.5 h
 * are scaled to hold `first` posts, the rest up to 13 h `second` posts.
 */
function tagProfile(F: number, endTs: number, first: number, second: number): PiecewiseRate {
  const at = (min: number) => F + min * MINUTE_MS;
  const shape1 = new PiecewiseRate([[at(5), 20], [at(10), 80], [at(60), 300], [at(210), 240]]);
  const shape2 = new PiecewiseRate([[at(210), 240], [at(330), 200], [at(780), 150], [Math.max(at(781), endTs), 120]]);
  const a = first / shape1.integral();
  const b = second / shape2.integral(at(210), at(780));
  return new PiecewiseRate([
    [at(5), 20 * a],
    [at(10), 80 * a],
    [at(60), 300 * a],
    [at(210) - 1, 240 * a],
    [at(210), 240 * b],
    [at(330), 200 * b],
    [at(780), 150 * b],
    [Math.max(at(781), endTs), 120 * b],
  ]);
}

function createAudience(world: SimWorld, count: number, rng: SeededRandom): SimAccount[] {
  const out: SimAccount[] = [];
  for (let i = 0; i < count; i++) {
    const u = rng.next();
    const lang: SimLanguage = u < 0.52 ? 'en' : u < 0.92 ? 'fr' : rng.pick(['es', 'de', 'it'] as const);
    const v = rng.next();
    const profile =
      v < 0.8
        ? AccountProfiles.established(world.startTs, lang, rng)
        : v < 0.98
          ? AccountProfiles.recent(world.startTs, lang, rng)
          : { ...AccountProfiles.recent(world.startTs, lang, rng), createdFromTs: world.startTs - 29 * DAY_MS, createdToTs: world.startTs - DAY_MS };
    out.push(world.accounts.create(profile, rng));
  }
  return out;
}

/** A new account with probability `newShare` (while any are left), else one that already posted. */
function humanPicker(audience: readonly SimAccount[], newShare: number): (rng: SeededRandom) => SimAccount {
  const used: SimAccount[] = [];
  let next = 0;
  return (rng) => {
    if (next < audience.length && (used.length === 0 || rng.chance(newShare))) {
      const account = audience[next++] as SimAccount;
      used.push(account);
      return account;
    }
    return used[Math.floor(rng.next() * used.length)] as SimAccount;
  };
}

function campaign(
  world: SimWorld,
  id: string,
  tag: VocabularyTag,
  style: (typeof CampaignStyles)[keyof typeof CampaignStyles],
  sources: readonly SimAccount[],
  params: Record<string, number | string>,
): EventTracker {
  const tracker = world.tracker(id, tag.tag, tag.display, 0);
  world.addCampaign({ tracker, style, target: 'fresh', sources: sources.map((a) => a.id), params: { lang: 'en', scale: world.options.scale, ...params }, burstCandidate: false });
  return tracker;
}
