import type { Logger } from 'pino';
import { BoundedMap } from '../live/bounded-map.ts';
import type { LiveClock } from '../live/clock.ts';
import type { AuthorFields, FetchLike, ProfileEnricherStats } from './types.ts';
import type { ProfileEnrichmentOptions } from './options.ts';
import { GetProfilesResponseSchema } from './wire.ts';

interface CachedProfile {
  fields: AuthorFields;
  expiresAt: number;
}

/**
 * Author followers, account creation date and handle from `app.bsky.actor.getProfiles`, in the
 * background: `lookup` answers from the cache at once and queues unknown authors; calls batch up
 * to 25 actors, are spaced to `maxCallsPerSecond`, and after a failure (no network) pause for
 * `offlineRetryMs`. The stream never waits for it; posts of authors not yet known go on without
 * those fields.
 */
export class ProfileEnricher implements AsyncDisposable {
  readonly #options: ProfileEnrichmentOptions;
  readonly #log: Logger;
  readonly #clock: LiveClock;
  readonly #fetch: FetchLike;
  readonly #cache: BoundedMap<string, CachedProfile>;
  readonly #pending = new Set<string>();
  readonly #idleWaiters: Array<() => void> = [];
  readonly #abort = new AbortController();
  #inFlight = 0;
  #scheduled: (() => void) | undefined;
  #nextCallAt = 0;
  #offlineUntil = 0;
  #closed = false;
  #calls = 0;
  #failedCalls = 0;
  #skipped = 0;

  constructor(options: ProfileEnrichmentOptions, deps: { log: Logger; clock: LiveClock; fetch?: FetchLike }) {
    this.#options = options;
    this.#log = deps.log;
    this.#clock = deps.clock;
    this.#fetch = deps.fetch ?? ((url, init) => fetch(url, init));
    this.#cache = new BoundedMap(options.cacheSize);
  }

  /** The author's cached fields (undefined when not known yet; a lookup is then queued). */
  lookup(did: string): AuthorFields | undefined {
    const now = this.#clock.now();
    const hit = this.#cache.get(did);
    if (hit !== undefined && hit.expiresAt > now) return hit.fields;
    this.#request(did, now);
    return hit?.fields;
  }

  stats(): ProfileEnricherStats {
    return {
      cached: this.#cache.size,
      pending: this.#pending.size,
      calls: this.#calls,
      failedCalls: this.#failedCalls,
      skipped: this.#skipped,
      offline: this.#clock.now() < this.#offlineUntil,
    };
  }

  /** Resolves once nothing is queued or in flight (or the enricher is offline or closed). */
  whenIdle(): Promise<void> {
    if (this.#isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#abort.abort();
    this.#scheduled?.();
    this.#scheduled = undefined;
    this.#pending.clear();
    this.#notifyIdle();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  #request(did: string, now: number): void {
    if (this.#closed || this.#pending.has(did)) return;
    if (now < this.#offlineUntil || this.#pending.size >= this.#options.maxPending) {
      this.#skipped++;
      return;
    }
    this.#pending.add(did);
    this.#schedule(now);
  }

  #schedule(now: number): void {
    if (this.#scheduled !== undefined || this.#inFlight > 0 || this.#pending.size === 0 || this.#closed) return;
    const fillWait = this.#pending.size >= this.#options.batchSize ? 0 : this.#options.batchWaitMs;
    const at = Math.max(this.#nextCallAt, now + fillWait, this.#offlineUntil);
    this.#scheduled = this.#clock.setTimer(Math.max(0, at - now), () => {
      this.#scheduled = undefined;
      void this.#callOnce();
    });
  }

  async #callOnce(): Promise<void> {
    const now = this.#clock.now();
    if (now < this.#offlineUntil) {
      this.#skipped += this.#pending.size;
      this.#pending.clear();
      this.#notifyIdle();
      return;
    }
    const actors = [...this.#pending].slice(0, this.#options.batchSize);
    for (const did of actors) this.#pending.delete(did);
    this.#inFlight++;
    this.#calls++;
    this.#nextCallAt = now + 1000 / this.#options.maxCallsPerSecond;
    try {
      const profiles = await this.#getProfiles(actors);
      const at = this.#clock.now();
      const expiresAt = at + this.#options.cacheTtlMs;
      const returned = new Set<string>();
      for (const profile of profiles) {
        returned.add(profile.did);
        const fields: AuthorFields = {};
        if (profile.handle !== undefined && profile.handle !== 'handle.invalid') fields.handle = profile.handle;
        if (profile.followersCount !== undefined) fields.followers = profile.followersCount;
        const created = profile.createdAt === undefined ? Number.NaN : Date.parse(profile.createdAt);
        if (!Number.isNaN(created)) fields.createdAt = new Date(created).toISOString();
        this.#cache.set(profile.did, { fields, expiresAt });
      }
      // Deleted or suspended accounts are not returned: remember that too, not to ask again and again.
      for (const did of actors) if (!returned.has(did)) this.#cache.set(did, { fields: {}, expiresAt });
    } catch (err) {
      this.#failedCalls++;
      if (!this.#closed) {
        const wasOnline = this.#clock.now() >= this.#offlineUntil;
        this.#offlineUntil = this.#clock.now() + this.#options.offlineRetryMs;
        this.#skipped += actors.length + this.#pending.size;
        this.#pending.clear();
        if (wasOnline) {
          this.#log.warn({ err, retryInMs: this.#options.offlineRetryMs }, 'profile enrichment unavailable; posts go on without author followers and creation dates');
        }
      }
    } finally {
      this.#inFlight--;
      this.#schedule(this.#clock.now());
      this.#notifyIdle();
    }
  }

  async #getProfiles(actors: readonly string[]): Promise<Array<{ did: string; handle?: string | undefined; followersCount?: number | undefined; createdAt?: string | undefined }>> {
    const url = new URL('/xrpc/app.bsky.actor.getProfiles', this.#options.url);
    for (const did of actors) url.searchParams.append('actors', did);
    const signal = AbortSignal.any([this.#abort.signal, AbortSignal.timeout(this.#options.requestTimeoutMs)]);
    const res = await this.#fetch(url.toString(), { signal, headers: { accept: 'application/json', 'user-agent': 'tagwatch' } });
    if (!res.ok) {
      await res.body?.cancel();
      throw new Error(`getProfiles answered HTTP ${res.status}`);
    }
    const parsed = GetProfilesResponseSchema.safeParse(await res.json());
    if (!parsed.success) throw new Error('getProfiles answered an unexpected shape');
    return parsed.data.profiles;
  }

  #isIdle(): boolean {
    return this.#closed || (this.#pending.size === 0 && this.#inFlight === 0) || (this.#inFlight === 0 && this.#clock.now() < this.#offlineUntil);
  }

  #notifyIdle(): void {
    if (!this.#isIdle()) return;
    for (const resolve of this.#idleWaiters.splice(0)) resolve();
  }
}
