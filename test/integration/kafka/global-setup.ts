import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { startBroker, stopBroker } from '../../../scripts/kafka-broker.mjs';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Bootstrap address of the broker the integration tests share (`127.0.0.1:PORT`). */
    kafkaBrokers: string;
    /** The same broker's SASL/PLAIN listener and its credentials (absent with TAGWATCH_TEST_KAFKA). */
    kafkaSasl: { brokers: string; username: string; password: string } | null;
  }
}

/**
 * One real Apache Kafka broker (KRaft, single node) for the whole integration project, started
 * before the first test file and stopped after the last. Tests isolate themselves with random
 * topic prefixes and group ids. `TAGWATCH_TEST_KAFKA=host:port` uses a broker already running.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const existing = process.env['TAGWATCH_TEST_KAFKA'];
  if (existing !== undefined && existing !== '') {
    project.provide('kafkaBrokers', existing);
    project.provide('kafkaSasl', null);
    return async () => {};
  }
  const dir = mkdtempSync(join(tmpdir(), 'tagwatch-kafka-'));
  const sasl = { username: 'tagwatch', password: randomBytes(12).toString('hex') };
  const info = await startBroker({ dir, heapMb: 768, sasl, log: (line) => process.stderr.write(`[kafka] ${line}\n`) });
  project.provide('kafkaBrokers', info.brokers);
  project.provide('kafkaSasl', info.saslBrokers === undefined ? null : { brokers: info.saslBrokers, ...sasl });
  return async () => {
    await stopBroker({ dir, remove: true });
  };
}
