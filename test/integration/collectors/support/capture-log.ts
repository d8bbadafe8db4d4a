import { Writable } from 'node:stream';
import { pino, type Logger } from 'pino';
import { REDACTED_PATHS } from '../../../../src/log/index.ts';

/** A pino logger (same redaction as production) whose output the test can read back. */
export function captureLog(): { log: Logger; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk.toString('utf8'));
      callback();
    },
  });
  const log = pino({ level: 'trace', redact: { paths: REDACTED_PATHS, censor: '[redacted]' }, serializers: { err: pino.stdSerializers.err } }, stream);
  return { log, text: () => chunks.join('') };
}
