import { pino, type Logger, type LoggerOptions, type DestinationStream } from 'pino';

/** Paths whose values never reach a log line, wherever they appear in a logged object. */
export const REDACTED_PATHS = [
  'password',
  'secret',
  'token',
  'accessToken',
  'bearerToken',
  'authorization',
  '*.password',
  '*.secret',
  '*.token',
  '*.accessToken',
  '*.bearerToken',
  '*.authorization',
  '*.*.password',
  '*.*.secret',
  '*.*.token',
  '*.*.accessToken',
  '*.*.bearerToken',
  'headers.authorization',
  'req.headers.authorization',
  'config.store.password',
  'config.kafka.sasl.password',
];

export interface LoggerSettings {
  level?: string;
  /** Defaults to stderr, so stdout stays clean for `tagwatch sql` output and pipes. */
  destination?: DestinationStream;
}

export function createLogger(settings: LoggerSettings = {}): Logger {
  const options: LoggerOptions = {
    name: 'tagwatch',
    level: settings.level ?? process.env['TAGWATCH_LOG_LEVEL'] ?? 'info',
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    serializers: { err: pino.stdSerializers.err },
  };
  return pino(options, settings.destination ?? pino.destination({ fd: 2, sync: false }));
}

/** A child logger for one module: every line says where it came from. */
export function moduleLogger(root: Logger, module: string): Logger {
  return root.child({ module });
}

/** A logger that writes nothing, for tests and library use. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
