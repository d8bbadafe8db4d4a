import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { AlertPayloadV1Schema, alertEventId, buildPayloadV1, slackMessage, tagPageUrl, type AlertPayloadV1 } from '../../../src/alerts/index.ts';
import type { Flag } from '../../../src/model/index.ts';
import { makeFlag, makeMinute } from '../../support/alerts/flags.ts';

const jsonSchema = JSON.parse(readFileSync(new URL('../../../docs/webhook-payload-v1.schema.json', import.meta.url), 'utf8')) as object;
// ajv-formats is CommonJS: its default export arrives wrapped.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: Ajv2020) => Ajv2020;
const ajv = new Ajv2020({ allErrors: true, strict: true });
addFormats(ajv);
const validateJsonSchema = ajv.compile(jsonSchema);

function build(flag: Flag, withMetrics: boolean, type: 'flag.opened' | 'flag.updated' = 'flag.opened'): AlertPayloadV1 {
  return buildPayloadV1(flag, withMetrics ? makeMinute({ tag: flag.tag }) : undefined, {
    eventId: alertEventId('observers', flag.flagId, flag.revision),
    type,
    subscriber: 'observers',
    createdAt: Date.parse('2017-05-05T18:56:01Z'),
    tagUrl: tagPageUrl('https://tagwatch.example.org/', '/tags/{tag}', flag.tag),
    authorSample: 5,
    postSample: 3,
  });
}

/** Both validators must agree: the JSON Schema in docs/ and the zod schema the code checks with. */
function bothAccept(payload: unknown): { zod: boolean; jsonSchema: boolean; errors: unknown } {
  const zod = AlertPayloadV1Schema.safeParse(payload);
  const json = validateJsonSchema(payload);
  return { zod: zod.success, jsonSchema: json, errors: { zod: zod.success ? null : zod.error.issues, json: validateJsonSchema.errors } };
}

const samples: Array<[string, AlertPayloadV1]> = [
  ['coordinated, with metrics', build(makeFlag(), true)],
  ['burst update, no metrics yet', build(makeFlag({ kind: 'burst', revision: 3, score: 12.5, authors: [], postIds: [] }), false, 'flag.updated')],
  ['evidence that is not JSON', build(makeFlag({ evidence: 'plain words', signals: { zscore: 4, bad: Number.NaN } }), true)],
  ['empty evidence, unicode tag', build(makeFlag({ tag: 'présidentielle2017', evidence: '' }), true)],
];

type JsonNode = { type?: unknown; properties?: Record<string, JsonNode>; required?: string[]; anyOf?: JsonNode[]; oneOf?: JsonNode[]; items?: JsonNode };

/** The object structure of a JSON Schema: property names, required names and the type of each leaf, recursively. */
function outline(node: JsonNode): unknown {
  const object = [node, ...(node.anyOf ?? []), ...(node.oneOf ?? [])].find((n) => n.type === 'object' && n.properties !== undefined);
  const nullable = [...(node.anyOf ?? []), ...(node.oneOf ?? [])].some((n) => n.type === 'null');
  if (object?.properties === undefined) return { type: node.type === 'integer' ? 'integer' : (node.type ?? 'union'), items: node.items ? outline(node.items) : undefined };
  return {
    nullable,
    required: [...(object.required ?? [])].sort(),
    properties: Object.fromEntries(Object.entries(object.properties).map(([k, v]) => [k, outline(v)]).sort(([a], [b]) => String(a).localeCompare(String(b)))),
  };
}

describe('alert payload v1', () => {
  it('the documented JSON Schema has the structure of the zod schema (same fields, required, types)', () => {
    const fromZod = z.toJSONSchema(AlertPayloadV1Schema, { unrepresentable: 'any' }) as JsonNode;
    expect(outline(jsonSchema as JsonNode)).toEqual(outline(fromZod));
  });

  it.each(samples)('%s: valid under the zod schema and the documented JSON Schema', (_name, payload) => {
    const result = bothAccept(JSON.parse(JSON.stringify(payload)));
    expect(result, JSON.stringify(result.errors)).toMatchObject({ zod: true, jsonSchema: true });
  });

  it.each<[string, (p: Record<string, unknown>) => void]>([
    ['wrong version', (p) => (p['version'] = 2)],
    ['unknown type', (p) => (p['type'] = 'flag.closed')],
    ['missing event id', (p) => delete p['event_id']],
    ['extra top-level field', (p) => (p['extra'] = true)],
    ['negative author count', (p) => ((p['flag'] as { authors: { count: number } }).authors.count = -1)],
    ['non-numeric signal', (p) => ((p['flag'] as { signals: Record<string, unknown> }).signals['x'] = 'high')],
    ['evidence without summary', (p) => ((p['flag'] as { evidence: unknown }).evidence = { detail: 1 })],
    ['bad time', (p) => (p['created_at'] = 'yesterday')],
    ['metrics share above 1', (p) => ((p['metrics'] as { top10_share: number }).top10_share = 1.5)],
    ['link not a URL', (p) => ((p['links'] as { tag: string }).tag = 'not a url')],
  ])('%s: rejected by both', (_name, mutate) => {
    const payload = JSON.parse(JSON.stringify(samples[0]?.[1])) as Record<string, unknown>;
    mutate(payload);
    expect(bothAccept(payload)).toMatchObject({ zod: false, jsonSchema: false });
  });

  it('carries the flag, a capped author sample with the full count, the metrics and the link', () => {
    const payload = build(makeFlag(), true);
    expect(payload.flag.authors).toEqual({ count: 30, sample: ['acct-0', 'acct-1', 'acct-2', 'acct-3', 'acct-4'] });
    expect(payload.flag.posts.sample).toHaveLength(3);
    expect(payload.flag.evidence.summary).toMatch(/near-identical text/);
    expect(payload.flag.evidence['template']).toBe('Leaked documents #MacronLeaks');
    expect(payload.flag.window).toEqual({ start: '2017-05-05T18:50:00.000Z', end: '2017-05-05T18:55:00.000Z' });
    expect(payload.metrics?.posts).toBe(87);
    expect(payload.links.tag).toBe('https://tagwatch.example.org/tags/macronleaks');
    expect(build(makeFlag({ evidence: 'plain words' }), false).flag.evidence).toEqual({ summary: 'plain words' });
    expect(build(makeFlag({ signals: { a: 1, b: Number.POSITIVE_INFINITY } }), false).flag.signals).toEqual({ a: 1 });
  });

  it('event ids are deterministic per subscriber, flag and revision', () => {
    const id = alertEventId('observers', 'f1', 0);
    expect(id).toMatch(/^twe_[0-9a-f]{32}$/);
    expect(alertEventId('observers', 'f1', 0)).toBe(id);
    expect(alertEventId('observers', 'f1', 1)).not.toBe(id);
    expect(alertEventId('press', 'f1', 0)).not.toBe(id);
    expect(alertEventId('observers', 'f2', 0)).not.toBe(id);
  });

  it('a Slack message says what fired, where, and links to the tag', () => {
    const { text } = slackMessage(build(makeFlag({ tag: 'a<b' }), true));
    expect(text).toContain('*New: Coordinated push on #a&lt;b*');
    expect(text).toContain('30 accounts implicated');
    expect(text).toContain('87 posts by 64 authors');
    expect(text).toContain('<https://tagwatch.example.org/tags/a%3Cb|Open #a&lt;b in tagwatch>');
    const update = slackMessage(build(makeFlag({ kind: 'burst', revision: 2 }), false, 'flag.updated')).text;
    expect(update).toMatch(/^\*Update: Burst on #macronleaks\* \(score 0\.90, revision 2\)/);
    expect(update).not.toContain('Minute');
  });
});
