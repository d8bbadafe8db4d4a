import type { Scheduler } from './types.ts';

export interface WebhookRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
  timeoutMs: number;
  maxResponseBytes: number;
  scheduler: Scheduler;
  /** Aborts the request early (shutdown). */
  signal?: AbortSignal;
}

export interface WebhookResponse {
  status: number;
  /** The `Retry-After` header, when sent. */
  retryAfter: string | null;
  /** The start of the response body (at most `maxResponseBytes`), for the delivery log. */
  bodyStart: string;
  /** True when the body was longer than the cap and the rest was not read. */
  truncated: boolean;
}

/** Thrown when the per-attempt timeout fired. */
export class WebhookTimeoutError extends Error {
  constructor(timeoutMs: number) {
    super(`no response within ${timeoutMs} ms`);
    this.name = 'WebhookTimeoutError';
  }
}

/**
 * One POST to a webhook receiver. Redirects are returned, never followed (a redirect could
 * carry a signed alert to a host the operator never configured); the response body is read up
 * to a cap; the whole exchange, body included, is bounded by the timeout.
 */
export async function postWebhook(request: WebhookRequest): Promise<WebhookResponse> {
  const controller = new AbortController();
  let timedOut = false;
  const timer = request.scheduler.setTimer(request.timeoutMs, () => {
    timedOut = true;
    controller.abort();
  });
  const onAbort = (): void => controller.abort();
  request.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const response = await fetch(request.url, {
      method: 'POST',
      headers: request.headers,
      body: request.body,
      redirect: 'manual',
      signal: controller.signal,
    });
    const { text, truncated } = await readCapped(response, request.maxResponseBytes);
    return { status: response.status, retryAfter: response.headers.get('retry-after'), bodyStart: text, truncated };
  } catch (err) {
    if (timedOut) throw new WebhookTimeoutError(request.timeoutMs);
    throw err;
  } finally {
    request.scheduler.clearTimer(timer);
    request.signal?.removeEventListener('abort', onAbort);
  }
}

async function readCapped(response: Response, maxBytes: number): Promise<{ text: string; truncated: boolean }> {
  const body = response.body;
  if (body === null) return { text: '', truncated: false };
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  let truncated = false;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    const room = maxBytes - size;
    if (value.byteLength > room) {
      if (room > 0) chunks.push(value.subarray(0, room));
      size = maxBytes;
      truncated = true;
      // The rest is not read: a receiver cannot make us buffer an endless body.
      await reader.cancel();
      break;
    }
    chunks.push(value);
    size += value.byteLength;
  }
  return { text: Buffer.concat(chunks).toString('utf8'), truncated };
}
