import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { KafkaOptionsSchema } from '../../../../src/bus/kafka/index.ts';
import { saslOptions, tlsOptions } from '../../../../src/bus/kafka/kafka-client.ts';
import { loadConfig } from '../../../../src/config/index.ts';

describe('Kafka options', () => {
  it('come from the environment: brokers list, SASL credentials, TLS switch', async () => {
    const config = await loadConfig({
      env: { KAFKA_BROKERS: 'b1:9092, b2:9093', KAFKA_SASL_MECHANISM: 'scram-sha-512', KAFKA_SASL_USERNAME: 'u', KAFKA_SASL_PASSWORD: 'p', KAFKA_SSL: 'true', TAGWATCH_WORKER_ID: 'w1' },
    });
    expect(config.kafka.brokers).toEqual(['b1:9092', 'b2:9093']);
    expect(config.kafka.ssl.enabled).toBe(true);
    expect(config.kafka.workerId).toBe('w1');
    expect(saslOptions(config.kafka)).toEqual({ mechanism: 'scram-sha-512', username: 'u', password: 'p' });
  });

  it('refuse a broker without a port and a half-given SASL block, naming the key', async () => {
    await expect(loadConfig({ env: { KAFKA_BROKERS: 'localhost' } })).rejects.toThrow(/kafka\.brokers\.0/);
    await expect(loadConfig({ env: { KAFKA_BROKERS: 'b:1', KAFKA_SASL_MECHANISM: 'plain' } })).rejects.toThrow(/kafka\.sasl\.username/);
  });

  it('TLS reads the CA, certificate and key files, and names a file it cannot read', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tagwatch-tls-'));
    writeFileSync(join(dir, 'ca.pem'), 'CA');
    const options = KafkaOptionsSchema.parse({ brokers: ['b:1'], ssl: { enabled: true, caFile: join(dir, 'ca.pem'), rejectUnauthorized: false } });
    expect(tlsOptions(options)).toEqual({ rejectUnauthorized: false, ca: ['CA'] });
    expect(tlsOptions(KafkaOptionsSchema.parse({ brokers: ['b:1'] }))).toBe(false);
    const missing = KafkaOptionsSchema.parse({ brokers: ['b:1'], ssl: { enabled: true, certFile: join(dir, 'nope.pem') } });
    expect(() => tlsOptions(missing)).toThrow(/kafka\.ssl\.certFile/);
  });
});
