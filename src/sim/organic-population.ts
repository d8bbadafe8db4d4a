import { AccountProfiles } from './account-registry.ts';
import { AliasTable } from './alias-table.ts';
import { SimLanguages, type BackgroundOptions, type SimLanguage } from './options.ts';
import type { SeededRandom } from './seeded-random.ts';
import type { SimWorld } from './sim-world.ts';
import { DAY_MS, type SimAccount } from './types.ts';

/** The organic accounts and their relative posting activity (heavy-tailed). */
export interface OrganicPopulation {
  accounts: SimAccount[];
  activity: number[];
  /** Accounts older than a year: the "diverse established accounts" crowds are drawn from. */
  established: SimAccount[];
}

/** Heaviest activity weight relative to the lightest: keeps one account from taking over the stream. */
const ACTIVITY_CAP = 400;

export function createOrganicPopulation(world: SimWorld, size: number, options: BackgroundOptions, rng: SeededRandom): OrganicPopulation {
  const langs = SimLanguages.filter((l) => (options.languages[l] ?? 0) > 0);
  if (langs.length === 0) langs.push('en');
  const langTable = new AliasTable(langs.map((l) => options.languages[l] ?? 1));
  const accounts: SimAccount[] = [];
  const activity: number[] = [];
  const established: SimAccount[] = [];
  for (let i = 0; i < size; i++) {
    const lang = langs[langTable.sample(rng)] as SimLanguage;
    const u = rng.next();
    const profile =
      u < 0.86
        ? AccountProfiles.established(world.startTs, lang, rng)
        : u < 0.98
          ? AccountProfiles.recent(world.startTs, lang, rng)
          : { ...AccountProfiles.recent(world.startTs, lang, rng), createdFromTs: world.startTs - 29 * DAY_MS, createdToTs: world.startTs - DAY_MS };
    const account = world.accounts.create(profile, rng);
    accounts.push(account);
    activity.push(Math.min(ACTIVITY_CAP, rng.pareto(1, options.activityParetoAlpha)));
    if (account.createdTs < world.startTs - 365 * DAY_MS) established.push(account);
  }
  return { accounts, activity, established };
}

/** Mean of the activity weights (campaign members' organic activity is relative to it). */
export function meanActivity(activity: readonly number[]): number {
  if (activity.length === 0) return 1;
  let sum = 0;
  for (const a of activity) sum += a;
  return sum / activity.length;
}

/** Uniform draws over a list: every account as likely as any other (diverse crowds). */
export function uniformPicker(accounts: readonly SimAccount[]): (rng: SeededRandom) => SimAccount {
  if (accounts.length === 0) throw new RangeError('no accounts to pick from');
  return (rng) => accounts[Math.floor(rng.next() * accounts.length)] as SimAccount;
}
