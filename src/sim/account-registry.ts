import { BOT_HANDLE_STEMS, FIRST_NAMES, HANDLE_WORDS, LAST_NAMES } from './content/names.ts';
import type { SimLanguage } from './options.ts';
import { permute32, type SeededRandom } from './seeded-random.ts';
import { DAY_MS, type SimAccount } from './types.ts';

export const HandleStyles = { person: 'person', word: 'word', bot: 'bot', brand: 'brand' } as const;
export type HandleStyle = (typeof HandleStyles)[keyof typeof HandleStyles];

/** How to draw one account: creation window, follower distribution, language, handle style. */
export interface AccountProfile {
  createdFromTs: number;
  createdToTs: number;
  followersMedian: number;
  /** Log-space standard deviation of the follower count (lognormal). */
  followersSigma: number;
  lang: SimLanguage;
  handleStyle: HandleStyle;
  /** When set, the follower count is drawn uniformly in this range instead. */
  followersRange?: readonly [number, number];
}

const MAX_FOLLOWERS = 150_000_000;

/**
 * Every account of a simulation, organic or not, in one id space: ids are a keyed permutation of
 * the account's index (`u2874619302`), so nothing in an id tells a campaign member from anyone else.
 */
export class AccountRegistry {
  readonly accounts: SimAccount[] = [];
  private readonly handles = new Set<string>();
  private readonly idKey: number;

  constructor(seed: number) {
    this.idKey = permute32(seed >>> 0, 0x5bd1e995 ^ Math.floor(seed / 0x1_0000_0000));
  }

  get size(): number {
    return this.accounts.length;
  }

  get(index: number): SimAccount {
    const account = this.accounts[index];
    if (account === undefined) throw new RangeError(`no account ${index}`);
    return account;
  }

  create(profile: AccountProfile, rng: SeededRandom): SimAccount {
    const index = this.accounts.length;
    const id = `u${permute32(index, this.idKey)}`;
    const createdTs = Math.floor(rng.float(profile.createdFromTs, Math.max(profile.createdFromTs + 1, profile.createdToTs)));
    const followers = profile.followersRange
      ? Math.floor(rng.inRange(profile.followersRange))
      : Math.min(MAX_FOLLOWERS, Math.floor(rng.lognormal(profile.followersMedian, profile.followersSigma)));
    const handle = this.uniqueHandle(makeHandle(profile.handleStyle, rng), rng);
    const account: SimAccount = {
      index,
      id,
      handle,
      createdTs,
      followers,
      lang: profile.lang,
      author: { id, handle, createdAt: new Date(createdTs).toISOString(), followers },
    };
    this.accounts.push(account);
    return account;
  }

  private uniqueHandle(base: string, rng: SeededRandom): string {
    let handle = base;
    while (this.handles.has(handle)) handle = `${base}${rng.int(0, 9999)}`;
    this.handles.add(handle);
    return handle;
  }
}

function makeHandle(style: HandleStyle, rng: SeededRandom): string {
  switch (style) {
    case 'person': {
      const sep = rng.pick(['', '_', '.', '']);
      const digits = rng.chance(0.45) ? String(rng.int(1, 99)) : '';
      return `${rng.pick(FIRST_NAMES)}${sep}${rng.pick(LAST_NAMES)}${digits}`;
    }
    case 'word': {
      const digits = rng.chance(0.3) ? String(rng.int(1, 999)) : '';
      return `${rng.pick(HANDLE_WORDS)}${rng.pick(['', '_'])}${rng.pick(HANDLE_WORDS)}${digits}`;
    }
    case 'bot':
      return `${rng.pick(BOT_HANDLE_STEMS)}_${rng.pick(FIRST_NAMES)}${rng.int(10_000, 99_999_999)}`;
    case 'brand':
      return `${rng.pick(HANDLE_WORDS)}${rng.pick(['news', 'daily', 'live', 'official', 'media', 'hq'])}`;
  }
}

/** Common profiles, relative to the simulation's start. */
export const AccountProfiles = {
  /** An ordinary account, 1 to 12 years old, typical follower counts. */
  established(startTs: number, lang: SimLanguage, rng: SeededRandom): AccountProfile {
    return {
      createdFromTs: startTs - 12 * 365 * DAY_MS,
      createdToTs: startTs - 365 * DAY_MS,
      followersMedian: 180,
      followersSigma: 1.6,
      lang,
      handleStyle: rng.chance(0.6) ? 'person' : 'word',
    };
  },
  /** A newer account, 30 days to a year old. */
  recent(startTs: number, lang: SimLanguage, rng: SeededRandom): AccountProfile {
    return {
      createdFromTs: startTs - 365 * DAY_MS,
      createdToTs: startTs - 30 * DAY_MS,
      followersMedian: 60,
      followersSigma: 1.4,
      lang,
      handleStyle: rng.chance(0.5) ? 'person' : 'word',
    };
  },
  /** A young account from a registration batch: created in `[centerTs - spread/2, centerTs + spread/2]`. */
  youngBatch(centerTs: number, spreadDays: number, lang: SimLanguage, rng: SeededRandom): AccountProfile {
    const half = (spreadDays * DAY_MS) / 2;
    return {
      createdFromTs: centerTs - half,
      createdToTs: centerTs + half,
      followersMedian: 12,
      followersSigma: 1.1,
      lang,
      handleStyle: rng.chance(0.75) ? 'bot' : 'person',
    };
  },
  celebrity(startTs: number, lang: SimLanguage, followers: readonly [number, number]): AccountProfile {
    return {
      createdFromTs: startTs - 14 * 365 * DAY_MS,
      createdToTs: startTs - 6 * 365 * DAY_MS,
      followersMedian: 0,
      followersSigma: 0,
      followersRange: followers,
      lang,
      handleStyle: 'person',
    };
  },
  /** A media outlet or an influencer: old, tens of thousands of followers and more. */
  outlet(startTs: number, lang: SimLanguage): AccountProfile {
    return {
      createdFromTs: startTs - 14 * 365 * DAY_MS,
      createdToTs: startTs - 3 * 365 * DAY_MS,
      followersMedian: 80_000,
      followersSigma: 1.2,
      lang,
      handleStyle: 'brand',
    };
  },
} as const;
