import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { Streams } from '../../../src/bus/index.ts';
import { silentLogger } from '../../../src/log/index.ts';
import type { Flag } from '../../../src/model/index.ts';
import type { Truth } from '../../../src/sim/index.ts';
import { ClickHouseReadModel, WebOptionsSchema, WebServer } from '../../../src/web/index.ts';
import { startSimulatedPipeline, type SimulatedPipeline } from './simulated-store.ts';

const TOKEN = 'web-test-token-0123456789';
const auth = { authorization: `Bearer ${TOKEN}` };

/** Extra flags on a tag of their own, to page through (the simulated hour fires only a few). */
const PAGED_TAG = 'pagingtesttag';
const PAGED_FLAGS = 23;

interface ErrorBody {
  error: { code: string; message: string };
}

describe('web API on a store filled from a simulated stream', () => {
  let pipeline: SimulatedPipeline;
  let truth: Truth;
  let server: WebServer;
  let base: string;
  let campaignTag: string;

  const get = async <T = unknown>(path: string, headers: Record<string, string> = auth): Promise<{ status: number; body: T; headers: Headers }> => {
    const response = await fetch(`${base}${path}`, { headers });
    const text = await response.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // Not JSON (/metrics): keep the text.
    }
    return { status: response.status, body: body as T, headers: response.headers };
  };

  beforeAll(async () => {
    pipeline = await startSimulatedPipeline();
    truth = await pipeline.play();
    campaignTag = truth.campaigns[0]?.tag as string;
    const store = pipeline.runtime.store;
    await store.insert(
      'flags',
      Array.from({ length: PAGED_FLAGS }, (_, i) => ({
        flag_id: `paging-${String(i).padStart(2, '0')}`,
        tag: PAGED_TAG,
        kind: i % 2 === 0 ? 'burst' : 'spam',
        // Pairs share a detection instant, so the cursor's tie-break on flag_id is exercised.
        detected_at: new Date(Date.UTC(2024, 4, 6, 0, 30) + Math.floor(i / 2) * 60_000).toISOString().replace('T', ' ').slice(0, 23),
        window_start: '2024-05-06 00:00:00.000',
        window_end: '2024-05-06 00:30:00.000',
        score: i / 10,
        authors: [`a${i}`],
        post_ids: [],
        signals: { rate: i },
        evidence: JSON.stringify({ summary: `paging flag ${i}` }),
        revision: 0,
      })),
    );
    server = new WebServer({
      options: WebOptionsSchema.parse({ address: '127.0.0.1:0', token: TOKEN, liveCoalesceMs: 0 }),
      model: new ClickHouseReadModel(store),
      live: pipeline.runtime.live,
      log: silentLogger(),
    });
    base = await server.listen();
  });

  afterAll(async () => {
    await server?.close();
    await pipeline?.close();
  });

  describe('operations endpoints', () => {
    it('answers /healthz and /readyz without a token', async () => {
      expect((await get('/healthz', {})).body).toEqual({ status: 'ok' });
      expect((await get('/readyz', {})).body).toEqual({ status: 'ready' });
    });

    it('serves prom-client metrics with low-cardinality labels only', async () => {
      const { status, body, headers } = await get<string>('/metrics', {});
      expect(status).toBe(200);
      expect(headers.get('content-type')).toContain('text/plain');
      expect(body).toContain('nodejs_eventloop_lag_seconds');
      expect(body).toContain('tagwatch_web_requests_total');
      expect(body).toContain('tagwatch_queue_depth');
      // No hashtag ever becomes a label: the campaign's tag must not appear anywhere.
      expect(body).not.toContain(campaignTag);
    });
  });

  describe('authentication and CORS', () => {
    it('refuses API calls without the bearer token, or with a wrong one', async () => {
      const missing = await get<ErrorBody>('/api/tags/top', {});
      expect(missing.status).toBe(401);
      expect(missing.headers.get('www-authenticate')).toContain('Bearer');
      expect(missing.body.error.message).toMatch(/token/);
      expect((await get('/api/flags', { authorization: 'Bearer wrong-token-000000000' })).status).toBe(401);
      expect((await get('/api/flags', { authorization: TOKEN })).status).toBe(401);
      expect((await get('/api/flags')).status).toBe(200);
    });

    it('sends no CORS headers by default', async () => {
      const { headers } = await get('/api/status', { ...auth, origin: 'https://elsewhere.example' });
      expect(headers.get('access-control-allow-origin')).toBeNull();
    });
  });

  describe('validation', () => {
    const cases: Array<[string, RegExp]> = [
      ['/api/tags/top?rank=loudest', /rank/],
      ['/api/tags/top?window=0', /window/],
      ['/api/tags/top?limit=ten', /limit/],
      ['/api/tags/top?at=yesterday', /at/],
      ['/api/tags/top?colour=red', /colour/],
      ['/api/tags/top?rank=velocity&rank=zscore', /rank/],
      ['/api/tags/1234/series', /hashtag/],
      ['/api/tags/anytag/series?resolution=day', /resolution/],
      ['/api/tags/anytag/series?from=2024-05-06T02:00:00Z&to=2024-05-06T01:00:00Z', /from must be before to/],
      ['/api/tags/anytag/series?from=0&to=99999999999999', /at most/],
      ['/api/flags?minScore=high', /minScore/],
      ['/api/flags?kind=Burst!', /kind/],
      ['/api/flags?cursor=bm90IGEgY3Vyc29y', /cursor/],
      ['/api/flags?cursor=abc&offset=3', /cursor or offset/],
      ['/api/flags/has%20space', /flagId/],
    ];
    it.each(cases)('%s is a 400 naming the problem', async (path, message) => {
      const { status, body } = await get<ErrorBody>(path);
      expect(status).toBe(400);
      expect(body.error.code).toBe('TW_HTTP_BAD_REQUEST');
      expect(body.error.message).toMatch(message);
    });

    it('answers unknown tags and flags with 404', async () => {
      expect((await get('/api/tags/neverseenthistag/series')).status).toBe(404);
      expect((await get('/api/tags/neverseenthistag/spread')).status).toBe(404);
      expect((await get('/api/flags/no-such-flag')).status).toBe(404);
    });
  });

  describe('read API', () => {
    it('ranks tags by each measure, highest first, with sparkline and badges', async () => {
      for (const rank of ['velocity', 'zscore', 'authors', 'coordination']) {
        const { status, body } = await get<{ at: string; rank: string; tags: Array<{ tag: string; rankValue: number; sparkline: number[] }> }>(
          `/api/tags/top?rank=${rank}&window=60&limit=20`,
        );
        expect(status).toBe(200);
        expect(body.rank).toBe(rank);
        expect(body.tags.length).toBeGreaterThan(0);
        const values = body.tags.map((t) => t.rankValue);
        expect(values).toEqual([...values].sort((a, b) => b - a));
        for (const t of body.tags) expect(t.sparkline).toHaveLength(60);
      }
      const coordination = await get<{ tags: Array<{ tag: string; coordinationScore: number; openFlags: Array<{ kind: string }> }> }>(
        '/api/tags/top?rank=coordination&window=60',
      );
      const top = coordination.body.tags[0];
      expect(top?.tag).toBe(campaignTag);
      expect(top?.coordinationScore).toBeGreaterThan(0);
      expect(top?.openFlags.map((f) => f.kind)).toContain('coordinated');
    });

    it('gives a tag series whose posts add up to the stored minutes, in any spelling of the tag', async () => {
      const [stored] = await pipeline.runtime.store.query<{ n: number }>('SELECT sum(posts) AS n FROM tag_minute WHERE tag = {tag:String}', { tag: campaignTag });
      const spelled = encodeURIComponent(`#${campaignTag.toUpperCase()}`);
      const { status, body } = await get<{ tag: string; t: number[]; posts: number[]; velocity: Array<number | null>; flags: Array<{ kind: string }> }>(
        `/api/tags/${spelled}/series?resolution=minute&from=2024-05-06T00:00:00Z&to=2024-05-06T01:05:00Z`,
      );
      expect(status).toBe(200);
      expect(body.tag).toBe(campaignTag);
      expect(body.t).toHaveLength(body.posts.length);
      expect(body.posts.reduce((a, b) => a + b, 0)).toBe(Number(stored?.n));
      expect(body.flags.map((f) => f.kind)).toContain('coordinated');
      const hourly = await get<{ posts: number[]; uniqueAuthors: number[] }>(`/api/tags/${campaignTag}/series?resolution=hour`);
      expect(hourly.status).toBe(200);
      expect(hourly.body.posts.reduce((a, b) => a + b, 0)).toBe(Number(stored?.n));
      expect(Math.max(...hourly.body.uniqueAuthors)).toBeGreaterThan(0);
    });

    it('pages through flags with a cursor, each exactly once, newest first', async () => {
      const seen: string[] = [];
      const times: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const query: string = `/api/flags?tag=${PAGED_TAG}&limit=5${cursor === null ? '' : `&cursor=${cursor}`}`;
        const { body } = await get<{ flags: Array<{ flagId: string; detectedAt: string }>; nextCursor: string | null }>(query);
        seen.push(...body.flags.map((f) => f.flagId));
        times.push(...body.flags.map((f) => f.detectedAt));
        cursor = body.nextCursor;
        pages++;
      } while (cursor !== null && pages < 20);
      expect(pages).toBe(5);
      expect(new Set(seen).size).toBe(PAGED_FLAGS);
      expect(times).toEqual([...times].sort().reverse());
      const offset = await get<{ flags: Array<{ flagId: string }> }>(`/api/flags?tag=${PAGED_TAG}&limit=5&offset=5`);
      expect(offset.body.flags.map((f) => f.flagId)).toEqual(seen.slice(5, 10));
    });

    it('filters flags by kind, tag and minimum score', async () => {
      const { body } = await get<{ flags: Array<{ kind: string; score: number; tag: string }> }>(`/api/flags?tag=${PAGED_TAG}&kind=burst&minScore=1&limit=100`);
      expect(body.flags.length).toBe(7);
      for (const f of body.flags) {
        expect(f.kind).toBe('burst');
        expect(f.score).toBeGreaterThanOrEqual(1);
      }
      const coordinated = await get<{ flags: Array<{ tag: string; kind: string }> }>('/api/flags?kind=coordinated');
      expect(coordinated.body.flags.map((f) => f.tag)).toContain(campaignTag);
    });

    it("lists a coordinated flag's evidence: every implicated account and sample posts carrying the tag", async () => {
      const list = await get<{ flags: Array<{ flagId: string; authorCount: number }> }>(`/api/flags?kind=coordinated&tag=${campaignTag}`);
      const summary = list.body.flags[0];
      expect(summary).toBeDefined();
      const { status, body } = await get<{
        flag: { authors: string[] };
        evidence: { summary?: unknown };
        accounts: Array<{ authorId: string; posts: number }>;
        samplePosts: Array<{ tags: string[]; text: string }>;
      }>(`/api/flags/${encodeURIComponent(summary?.flagId ?? '')}`);
      expect(status).toBe(200);
      expect(typeof body.evidence.summary).toBe('string');
      expect(body.accounts.map((a) => a.authorId).sort()).toEqual([...body.flag.authors].sort().slice(0, 500));
      expect(body.accounts.filter((a) => a.posts > 0).length).toBeGreaterThan(body.accounts.length / 2);
      const members = new Set(truth.campaigns[0]?.members);
      expect(body.accounts.filter((a) => members.has(a.authorId)).length).toBeGreaterThan(0);
      expect(body.samplePosts.length).toBeGreaterThan(0);
      for (const post of body.samplePosts) expect(post.tags).toContain(campaignTag);
    });

    it('computes spread figures from the stored posts', async () => {
      const [stored] = await pipeline.runtime.store.query<{ n: number }>('SELECT count() AS n FROM posts WHERE has(tags, {tag:String})', { tag: campaignTag });
      const { body } = await get<{
        totalPosts: number;
        firstPosters: Array<{ ts: string }>;
        coTags: Array<{ tag: string }>;
        cascades: { cascades: number };
      }>(`/api/tags/${campaignTag}/spread`);
      expect(body.totalPosts).toBe(Number(stored?.n));
      expect(body.firstPosters).toHaveLength(10);
      const times = body.firstPosters.map((p) => p.ts);
      expect(times).toEqual([...times].sort());
      expect(body.coTags.map((t) => t.tag)).not.toContain(campaignTag);
    });
  });

  describe('SQL injection attempts', () => {
    it('are refused or match nothing: never more than their own data', async () => {
      const attempts = [
        `/api/tags/${encodeURIComponent(`${campaignTag}' OR '1'='1`)}/series`,
        `/api/tags/${encodeURIComponent(`${campaignTag}'); DROP TABLE posts; --`)}/spread`,
        `/api/flags?kind=${encodeURIComponent("coordinated' OR 1=1 --")}`,
        `/api/flags?tag=${encodeURIComponent("x') OR ('1'='1")}`,
        `/api/tags/top?rank=${encodeURIComponent('velocity DESC; SELECT 1')}`,
      ];
      for (const path of attempts) expect((await get(path)).status, path).toBe(400);
      // Flag ids are printable without spaces: anything else is refused before any query…
      for (const id of ["' OR '1'='1", "x' UNION SELECT * FROM flags --"]) {
        expect((await get(`/api/flags/${encodeURIComponent(id)}`)).status, id).toBe(400);
      }
      // …and what passes is a bound parameter, matched literally.
      for (const id of ["'OR'1'='1", 'paging-00\\', "paging-00'--", 'paging-00%', "paging-00')||('1"]) {
        expect((await get(`/api/flags/${encodeURIComponent(id)}`)).status, id).toBe(404);
      }
      // A forged cursor is only a position: it can select flags older than its instant, nothing else.
      const forged = Buffer.from(JSON.stringify({ d: 0, id: "' OR 1=1 --" })).toString('base64url');
      const page = await get<{ flags: unknown[] }>(`/api/flags?cursor=${forged}`);
      expect(page.status).toBe(200);
      expect(page.body.flags).toEqual([]);
      const [posts] = await pipeline.runtime.store.query<{ n: number }>('SELECT count() AS n FROM posts');
      expect(Number(posts?.n)).toBeGreaterThan(0);
    });
  });

  describe('live WebSocket', () => {
    const open = (headers: Record<string, string> = {}): Promise<{ ws: WebSocket; messages: unknown[]; next: (type: string) => Promise<Record<string, unknown>>; closed: Promise<number> }> =>
      new Promise((resolve, reject) => {
        const ws = new WebSocket(`${base.replace('http', 'ws')}/api/live`, { headers });
        const messages: Array<Record<string, unknown>> = [];
        const waiters: Array<{ type: string; resolve: (m: Record<string, unknown>) => void }> = [];
        const closed = new Promise<number>((r) => ws.on('close', (code) => r(code)));
        ws.on('message', (data) => {
          const message = JSON.parse(String(data)) as Record<string, unknown>;
          messages.push(message);
          for (const w of waiters.splice(0)) {
            if (w.type === message['type']) w.resolve(message);
            else waiters.push(w);
          }
        });
        ws.on('open', () =>
          resolve({
            ws,
            messages,
            closed,
            next: (type) => {
              const found = messages.find((m) => m['type'] === type);
              if (found !== undefined) return Promise.resolve(found);
              return new Promise((r) => waiters.push({ type, resolve: r }));
            },
          }),
        );
        ws.on('error', reject);
      });

    it('closes a client whose hello has no or a wrong token with 4401', async () => {
      const client = await open();
      client.ws.send(JSON.stringify({ type: 'hello', token: 'wrong-token-000000000' }));
      expect(await client.closed).toBe(4401);
      const bad = await open();
      bad.ws.send('{"type":"subscribe"}');
      expect(await bad.closed).toBe(4400);
    });

    it('pushes a flag to authenticated clients as soon as analyze emits it, before the store has it', async () => {
      const viaHello = await open();
      viaHello.ws.send(JSON.stringify({ type: 'hello', token: TOKEN }));
      await viaHello.next('ready');
      const viaHeader = await open(auth);
      await viaHeader.next('ready');
      const flag: Flag = {
        flagId: 'live-test-flag',
        tag: campaignTag,
        kind: 'coordinated',
        detectedAt: Date.UTC(2024, 4, 6, 1, 0),
        windowStart: Date.UTC(2024, 4, 6, 0, 50),
        windowEnd: Date.UTC(2024, 4, 6, 1, 0),
        score: 0.77,
        authors: ['u1', 'u2'],
        postIds: [],
        signals: { copypasta: 0.9 },
        evidence: JSON.stringify({ summary: 'live test flag' }),
        revision: 0,
      };
      await pipeline.runtime.producer.send(Streams.flags, [{ key: flag.tag, value: flag }]);
      for (const client of [viaHello, viaHeader]) {
        const message = (await client.next('flag')) as { flag: { flagId: string; summary: string; detectedAt: string } };
        expect(message.flag.flagId).toBe('live-test-flag');
        expect(message.flag.summary).toBe('live test flag');
        expect(message.flag.detectedAt).toBe('2024-05-06T01:00:00.000Z');
      }
      // Clicked at once: answered from the live copy or the store, whichever has it.
      const evidence = await get<{ flag: { flagId: string } }>('/api/flags/live-test-flag');
      expect(evidence.status).toBe(200);
      expect(evidence.body.flag.flagId).toBe('live-test-flag');
      viaHello.ws.close();
      viaHeader.ws.close();
    });
  });

  it('closes idempotently and refuses to listen again', async () => {
    const extra = new WebServer({
      options: WebOptionsSchema.parse({ address: '127.0.0.1:0' }),
      model: new ClickHouseReadModel(pipeline.runtime.store),
      log: silentLogger(),
    });
    const url = await extra.listen();
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    await Promise.all([extra.close(), extra.close()]);
    await extra.close();
    await expect(extra.listen()).rejects.toThrow(/closed/);
    await expect(fetch(`${url}/healthz`)).rejects.toThrow();
  });
});
