import { inspect } from 'node:util';
import { ConfigError, ErrorCodes } from '../../errors/index.ts';

const REDACTED = '[redacted]';

/**
 * A credential (access token, bearer token) that prints as `[redacted]` however it is logged,
 * serialized or interpolated; only `reveal()` gives the value, at the one place it goes into a
 * request header.
 */
export class Secret {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  reveal(): string {
    return this.#value;
  }

  toJSON(): string {
    return REDACTED;
  }

  toString(): string {
    return REDACTED;
  }

  [inspect.custom](): string {
    return REDACTED;
  }
}

/**
 * The credential given inline, or read from the named environment variable. Throws a
 * `ConfigError` naming `what` (source and instance) when neither yields a value.
 */
export function resolveSecret(inline: Secret | undefined, envName: string | undefined, env: NodeJS.ProcessEnv, what: string): Secret {
  if (inline !== undefined) return inline;
  if (envName !== undefined) {
    const value = env[envName];
    if (value !== undefined && value.trim() !== '') return new Secret(value.trim());
    throw new ConfigError(ErrorCodes.CONFIG_INVALID, `${what}: environment variable ${envName} is not set`);
  }
  throw new ConfigError(ErrorCodes.CONFIG_INVALID, `${what}: no credential configured`);
}
