// The browser side of the API: JSON requests with the optional bearer token, and the live
// WebSocket with reconnection. Every failure surfaces as an ApiError the views show as is.

const TOKEN_KEY = 'tagwatch.token';

export class ApiError extends Error {
  /** @param {number} status @param {string} message @param {string} [code] */
  constructor(status, message, code) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

export function getToken() {
  return sessionStorage.getItem(TOKEN_KEY) ?? undefined;
}

export function setToken(token) {
  if (token) sessionStorage.setItem(TOKEN_KEY, token);
  else sessionStorage.removeItem(TOKEN_KEY);
}

/**
 * GET /api/<path>?<params>; resolves with the parsed JSON, rejects with an ApiError carrying the
 * server's message (a 400 names the bad parameter, a 401 asks for the token).
 */
export async function apiGet(path, params = {}) {
  const url = new URL(`/api/${path}`, location.origin);
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') url.searchParams.set(key, String(value));
  }
  const headers = { accept: 'application/json' };
  const token = getToken();
  if (token) headers.authorization = `Bearer ${token}`;
  let response;
  try {
    response = await fetch(url, { headers });
  } catch (err) {
    throw new ApiError(0, `cannot reach the tagwatch server (${err instanceof Error ? err.message : String(err)})`);
  }
  let body = null;
  try {
    body = await response.json();
  } catch {
    body = null;
  }
  if (!response.ok) {
    const message = body?.error?.message ?? `${response.status} ${response.statusText}`;
    throw new ApiError(response.status, message, body?.error?.code);
  }
  return body;
}

/**
 * The `/api/live` feed. States: connecting → live; on loss: reconnecting (with backoff);
 * unauthorized when the server refuses the token. Listeners get `flag`, `minutes`, `state`.
 */
export class LiveClient {
  constructor() {
    /** @type {Map<string, Set<(data: any) => void>>} */
    this.listeners = new Map();
    this.state = 'connecting';
    this.attempt = 0;
    this.socket = null;
    this.timer = null;
  }

  on(type, listener) {
    if (!this.listeners.has(type)) this.listeners.set(type, new Set());
    this.listeners.get(type).add(listener);
    return () => this.listeners.get(type)?.delete(listener);
  }

  emit(type, data) {
    for (const listener of this.listeners.get(type) ?? []) {
      try {
        listener(data);
      } catch (err) {
        console.error('live listener failed', err);
      }
    }
  }

  setState(state, detail) {
    this.state = state;
    this.emit('state', { state, detail });
  }

  connect() {
    clearTimeout(this.timer);
    const url = new URL('/api/live', location.origin);
    url.protocol = location.protocol === 'https:' ? 'wss:' : 'ws:';
    this.setState(this.attempt === 0 ? 'connecting' : 'reconnecting', this.attempt);
    const socket = new WebSocket(url);
    this.socket = socket;
    socket.addEventListener('open', () => {
      const hello = { type: 'hello' };
      const token = getToken();
      if (token) hello.token = token;
      socket.send(JSON.stringify(hello));
    });
    socket.addEventListener('message', (event) => {
      let message;
      try {
        message = JSON.parse(event.data);
      } catch {
        return;
      }
      if (message.type === 'ready') {
        this.attempt = 0;
        this.setState('live');
        this.emit('ready', message);
      } else if (message.type === 'flag') {
        this.emit('flag', message.flag);
      } else if (message.type === 'minutes') {
        this.emit('minutes', message);
      }
    });
    socket.addEventListener('close', (event) => {
      if (this.socket !== socket) return;
      this.socket = null;
      if (event.code === 4401) {
        this.setState('unauthorized');
        return;
      }
      this.attempt += 1;
      const delay = Math.min(30_000, 500 * 2 ** Math.min(this.attempt, 6));
      this.setState('reconnecting', this.attempt);
      this.timer = setTimeout(() => this.connect(), delay);
    });
  }

  /** Drops the current socket (if any) and connects again at once, e.g. after a new token. */
  reconnectNow() {
    const old = this.socket;
    this.socket = null;
    old?.close();
    this.attempt = 0;
    this.connect();
  }
}
