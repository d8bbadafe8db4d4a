import type { Logger } from 'pino';
import type { WebSocket } from 'ws';
import { webSockets } from '../metrics/index.ts';
import type { Flag, TagMinute } from '../model/index.ts';
import { BearerCheck } from './bearer-check.ts';
import { summarizeFlag } from './flag-summary.ts';
import { flagSummaryView, iso } from './json-views.ts';
import { HelloMessage } from './query-schemas.ts';
import type { RecentFlags } from './recent-flags.ts';
import type { LiveFeed } from './types.ts';

/** A client that has not said hello with a valid token by then is disconnected, in ms. */
const HELLO_TIMEOUT_MS = 10_000;
/** Ping period; a client that missed the previous pong is dropped, in ms. */
const HEARTBEAT_MS = 30_000;
/** A client with more unsent bytes than this is too slow to follow the feed; it is dropped and reconnects. */
const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;

/** Close codes (4000–4999 are the application's). */
export const LiveCloseCodes = { unauthorized: 4401, badMessage: 4400, tooSlow: 4408, shuttingDown: 1001 } as const;

interface Client {
  socket: WebSocket;
  ready: boolean;
  alive: boolean;
  helloTimer: NodeJS.Timeout | undefined;
}

export interface LiveChannelSettings {
  feed: LiveFeed;
  bearer: BearerCheck;
  recentFlags: RecentFlags;
  /** Minutes are announced at most once per this many ms. */
  coalesceMs: number;
  log: Logger;
}

/**
 * The `/api/live` WebSocket. Protocol (docs/api.md): the client sends `{"type":"hello","token"?}`;
 * the server answers `{"type":"ready"}` and then pushes `{"type":"flag","flag":…}` at once for every
 * flag fired or updated, and `{"type":"minutes","watermark":…,"count":…}` at most every
 * `coalesceMs` when minutes closed (the board then reloads its ranking through the API).
 */
export class LiveChannel {
  readonly #settings: LiveChannelSettings;
  readonly #clients = new Set<Client>();
  readonly #onFlag = (flag: Flag): void => this.#flag(flag);
  readonly #onMinute = (minute: TagMinute): void => this.#minute(minute);
  readonly #heartbeat: NodeJS.Timeout;
  #watermark: number | null = null;
  #pendingMinutes = 0;
  #minuteTimer: NodeJS.Timeout | undefined;
  #closed = false;

  constructor(settings: LiveChannelSettings) {
    this.#settings = settings;
    settings.feed.on('flag', this.#onFlag);
    settings.feed.on('minute', this.#onMinute);
    this.#heartbeat = setInterval(() => this.#ping(), HEARTBEAT_MS);
    this.#heartbeat.unref();
  }

  get clientCount(): number {
    return this.#clients.size;
  }

  /** Takes over a freshly upgraded socket; `headerAuthorized` when its upgrade request carried a valid bearer token. */
  attach(socket: WebSocket, headerAuthorized: boolean): void {
    if (this.#closed) {
      socket.close(LiveCloseCodes.shuttingDown, 'server shutting down');
      return;
    }
    const client: Client = { socket, ready: false, alive: true, helloTimer: undefined };
    this.#clients.add(client);
    webSockets.set(this.#clients.size);
    socket.on('pong', () => {
      client.alive = true;
    });
    socket.on('message', (data, isBinary) => this.#message(client, isBinary ? null : data.toString()));
    socket.on('close', () => this.#drop(client));
    socket.on('error', (err) => {
      this.#settings.log.debug({ err }, 'live socket error');
      this.#drop(client);
    });
    if (headerAuthorized || !this.#settings.bearer.required) {
      this.#ready(client);
    } else {
      client.helloTimer = setTimeout(() => socket.close(LiveCloseCodes.unauthorized, 'hello with a token expected'), HELLO_TIMEOUT_MS);
      client.helloTimer.unref();
    }
  }

  #message(client: Client, text: string | null): void {
    let parsed: ReturnType<typeof HelloMessage.safeParse> | undefined;
    if (text !== null && text.length <= 4096) {
      try {
        parsed = HelloMessage.safeParse(JSON.parse(text));
      } catch {
        parsed = undefined;
      }
    }
    if (parsed === undefined || !parsed.success) {
      client.socket.close(LiveCloseCodes.badMessage, 'expected {"type":"hello","token"?:string}');
      return;
    }
    if (client.ready) return;
    if (!this.#settings.bearer.matches(parsed.data.token)) {
      client.socket.close(LiveCloseCodes.unauthorized, 'missing or wrong token');
      return;
    }
    this.#ready(client);
  }

  #ready(client: Client): void {
    if (client.helloTimer !== undefined) clearTimeout(client.helloTimer);
    client.helloTimer = undefined;
    client.ready = true;
    this.#send(client, { type: 'ready', watermark: iso(this.#watermark) });
  }

  #flag(flag: Flag): void {
    this.#settings.recentFlags.remember(flag);
    const message = JSON.stringify({ type: 'flag', flag: flagSummaryView(summarizeFlag(flag)) });
    for (const client of this.#clients) if (client.ready) this.#sendText(client, message);
  }

  #minute(minute: TagMinute): void {
    if (this.#watermark === null || minute.minute > this.#watermark) this.#watermark = minute.minute;
    this.#pendingMinutes += 1;
    if (this.#minuteTimer !== undefined || this.#closed) return;
    this.#minuteTimer = setTimeout(() => {
      this.#minuteTimer = undefined;
      const message = JSON.stringify({ type: 'minutes', watermark: iso(this.#watermark), count: this.#pendingMinutes });
      this.#pendingMinutes = 0;
      for (const client of this.#clients) if (client.ready) this.#sendText(client, message);
    }, this.#settings.coalesceMs);
    this.#minuteTimer.unref();
  }

  #send(client: Client, message: object): void {
    this.#sendText(client, JSON.stringify(message));
  }

  #sendText(client: Client, text: string): void {
    if (client.socket.readyState !== client.socket.OPEN) return;
    if (client.socket.bufferedAmount > MAX_BUFFERED_BYTES) {
      client.socket.close(LiveCloseCodes.tooSlow, 'client too slow; reconnect and reload');
      this.#drop(client);
      return;
    }
    client.socket.send(text);
  }

  #ping(): void {
    for (const client of this.#clients) {
      if (!client.alive) {
        client.socket.terminate();
        this.#drop(client);
        continue;
      }
      client.alive = false;
      client.socket.ping();
    }
  }

  #drop(client: Client): void {
    if (client.helloTimer !== undefined) clearTimeout(client.helloTimer);
    if (this.#clients.delete(client)) webSockets.set(this.#clients.size);
  }

  /** Idempotent: unsubscribes from the feed and closes every client. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#settings.feed.off('flag', this.#onFlag);
    this.#settings.feed.off('minute', this.#onMinute);
    clearInterval(this.#heartbeat);
    if (this.#minuteTimer !== undefined) clearTimeout(this.#minuteTimer);
    for (const client of [...this.#clients]) {
      client.socket.close(LiveCloseCodes.shuttingDown, 'server shutting down');
      this.#drop(client);
    }
  }
}
