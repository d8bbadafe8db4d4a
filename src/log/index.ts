export { createLogger, moduleLogger, silentLogger, REDACTED_PATHS, type LoggerSettings } from './logger.ts';
