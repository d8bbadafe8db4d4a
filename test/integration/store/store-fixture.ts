import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BusRecord, Producer, StreamName } from '../../../src/bus/index.ts';
import { silentLogger } from '../../../src/log/index.ts';
import type { Deletion, Post } from '../../../src/model/index.ts';
import { migrations, StoreOptionsSchema, type OpenStoreSettings, type StoreOptions } from '../../../src/store/index.ts';

/** A fresh, randomly named directory for an embedded store; `remove()` deletes it. */
export function tempStoreDir(): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), `tagwatch-store-${randomBytes(4).toString('hex')}-`));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

export function storeOptions(path: string, overrides: Partial<StoreOptions> = {}): StoreOptions {
  return { ...StoreOptionsSchema.parse({ path, retryInitialMs: 5, retryMaxMs: 20 }), ...overrides };
}

export const log = silentLogger();

/**
 * Only the core store's migrations (1–9): these tests are about the store itself, and stay
 * independent of other components' tables (migrations.test.ts runs the whole registered list).
 */
export const coreOnly: OpenStoreSettings = { migrations: migrations.filter((m) => m.version <= 9) };

/** A Producer that keeps what it is sent, per stream. */
export class CapturingProducer implements Producer {
  readonly sent = new Map<StreamName, BusRecord[]>();

  async send<S extends StreamName>(stream: S, records: ReadonlyArray<BusRecord<S>>): Promise<void> {
    const list = this.sent.get(stream) ?? [];
    list.push(...(records as ReadonlyArray<BusRecord>));
    this.sent.set(stream, list);
  }

  of(stream: StreamName): BusRecord[] {
    return this.sent.get(stream) ?? [];
  }
}

export const T0 = Date.UTC(2017, 4, 5, 18, 50);

export function postRecord(id: string, overrides: Partial<Post> = {}): BusRecord<'accepted'> {
  const value: Post = {
    platform: 'sim',
    id,
    author: { id: `a${id}`, handle: `handle${id}`, followers: 10 },
    ts: T0 + Number.parseInt(id.replace(/\D/g, '') || '0', 10) * 1000,
    text: `post ${id} #MacronLeaks #Presidentielle2017`,
    tags: ['macronleaks', 'presidentielle2017'],
    tagDisplay: ['MacronLeaks', 'Presidentielle2017'],
    kind: 'original',
    urls: ['https://example.org/leak'],
    ...overrides,
  };
  return { key: `${value.platform}:${value.id}`, value };
}

export function deletionRecord(id: string, at: number): BusRecord<'deletions'> {
  const value: Deletion = { platform: 'sim', id, at };
  return { key: `sim:${id}`, value };
}

export function batch<S extends StreamName>(stream: S, records: ReadonlyArray<BusRecord<S>>): { stream: S; partition: number; records: ReadonlyArray<BusRecord<S>> } {
  return { stream, partition: 0, records };
}
