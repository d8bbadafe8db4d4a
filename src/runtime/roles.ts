import { ConfigError, ErrorCodes } from '../errors/index.ts';

/** What a process does. `all` is every role in one process (the embedded default). */
export const Roles = {
  collect: 'collect',
  ingest: 'ingest',
  analyze: 'analyze',
  notify: 'notify',
  sink: 'sink',
  web: 'web',
  all: 'all',
} as const;

export type Role = (typeof Roles)[keyof typeof Roles];

const ALL_ROLES: readonly Role[] = [Roles.collect, Roles.ingest, Roles.analyze, Roles.notify, Roles.sink, Roles.web];

/** Parses `--role sink,web` into a set; `all` expands to every role. */
export function parseRoles(text: string): Set<Role> {
  const roles = new Set<Role>();
  for (const part of text.split(',').map((s) => s.trim()).filter((s) => s.length > 0)) {
    if (part === Roles.all) {
      for (const role of ALL_ROLES) roles.add(role);
      continue;
    }
    if (!(ALL_ROLES as readonly string[]).includes(part)) {
      throw new ConfigError(ErrorCodes.USAGE, `unknown role "${part}": allowed are ${[...ALL_ROLES, Roles.all].join(', ')}`, { input: text });
    }
    roles.add(part as Role);
  }
  if (roles.size === 0) throw new ConfigError(ErrorCodes.USAGE, 'no role given', { input: text });
  return roles;
}

/** True when `roles` holds every role: what a process without Kafka between the parts must run. */
export function isEveryRole(roles: ReadonlySet<Role>): boolean {
  return ALL_ROLES.every((role) => roles.has(role));
}
