import type { Logger } from 'pino';
import { ConfigError, ErrorCodes } from '../../errors/index.ts';
import type { Secret } from '../live/secret.ts';
import { SourceFailureError } from '../live/source-failure.ts';
import type { XRule } from './options.ts';
import type { RulesSyncResult, XFetch } from './types.ts';
import { XRulesResponseSchema } from './wire.ts';

export interface RulesSyncContext {
  source: string;
  baseUrl: string;
  token: Secret;
  fetch: XFetch;
  log: Logger;
  signal: AbortSignal;
  timeoutMs: number;
}

function ruleKey(rule: { value: string; tag?: string | undefined }): string {
  return `${rule.value}\u0000${rule.tag ?? ''}`;
}

/**
 * Makes the app's stream rules exactly `wanted`: deletes the others, adds the missing ones.
 * A refused token or an invalid rule is a `ConfigError` naming it; server trouble is retriable.
 */
export async function syncRules(wanted: readonly XRule[], ctx: RulesSyncContext): Promise<RulesSyncResult> {
  const rulesUrl = new URL('/2/tweets/search/stream/rules', ctx.baseUrl).toString();
  const current = await call(ctx, rulesUrl, { method: 'GET' });
  const existing = current.data ?? [];
  const wantedKeys = new Set(wanted.map(ruleKey));
  const existingKeys = new Set(existing.map(ruleKey));
  const toDelete = existing.filter((r) => !wantedKeys.has(ruleKey(r)));
  const toAdd = wanted.filter((r) => !existingKeys.has(ruleKey(r)));
  if (toDelete.length > 0) {
    await call(ctx, rulesUrl, { method: 'POST', body: JSON.stringify({ delete: { ids: toDelete.map((r) => r.id) } }) });
  }
  if (toAdd.length > 0) {
    const added = await call(ctx, rulesUrl, {
      method: 'POST',
      body: JSON.stringify({ add: toAdd.map((r) => (r.tag === undefined ? { value: r.value } : { value: r.value, tag: r.tag })) }),
    });
    const problems = (added.errors ?? []).filter((e) => e.title !== 'DuplicateRule');
    if (problems.length > 0) {
      const described = problems.map((p) => `"${p.value ?? '?'}": ${[p.title, ...(p.details ?? []), p.detail].filter(Boolean).join('; ')}`).join(', ');
      throw new ConfigError(ErrorCodes.CONFIG_INVALID, `source "${ctx.source}": X refused stream rules ${described}`);
    }
  }
  const result = { kept: existing.length - toDelete.length, added: toAdd.length, deleted: toDelete.length };
  ctx.log.info(result, 'X stream rules synchronized');
  return result;
}

async function call(ctx: RulesSyncContext, url: string, init: { method: string; body?: string }): Promise<ReturnType<typeof XRulesResponseSchema.parse>> {
  let res: Response;
  try {
    res = await ctx.fetch(url, {
      method: init.method,
      headers: { authorization: `Bearer ${ctx.token.reveal()}`, 'content-type': 'application/json', 'user-agent': 'tagwatch' },
      ...(init.body === undefined ? {} : { body: init.body }),
      signal: AbortSignal.any([ctx.signal, AbortSignal.timeout(ctx.timeoutMs)]),
    });
  } catch (cause) {
    throw new SourceFailureError({ kind: 'network', detail: `X rules endpoint unreachable: ${(cause as Error).message}` }, { cause });
  }
  const text = await res.text();
  const detail = `X rules endpoint answered HTTP ${res.status}${text === '' ? '' : `: ${text.slice(0, 300)}`}`;
  if (res.status === 401 || res.status === 403) {
    throw new ConfigError(ErrorCodes.SOURCE_AUTH, `source "${ctx.source}": X rejected the bearer token (${detail}); check bearerToken or bearerTokenEnv`);
  }
  if (res.status === 429) throw new SourceFailureError({ kind: 'rate-limited', status: 429, detail });
  if (res.status === 400) throw new ConfigError(ErrorCodes.CONFIG_INVALID, `source "${ctx.source}": X refused the stream rules (${detail})`);
  if (!res.ok) throw new SourceFailureError({ kind: 'http', status: res.status, detail });
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new SourceFailureError({ kind: 'http', status: res.status, detail: `X rules endpoint answered non-JSON: ${text.slice(0, 200)}` }, { cause });
  }
  const parsed = XRulesResponseSchema.safeParse(json);
  if (!parsed.success) throw new SourceFailureError({ kind: 'http', status: res.status, detail: 'X rules endpoint answered an unexpected shape' });
  return parsed.data;
}
