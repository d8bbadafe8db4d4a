export { ConfigSchema, LogOptionsSchema, type Config, type ConfigInput } from './schema.ts';
export { loadConfig, parseConfig, envToConfig, deepMerge, ENV_KEYS, type LoadConfigOptions } from './load-config.ts';
