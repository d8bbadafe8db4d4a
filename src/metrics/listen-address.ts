import { z } from 'zod';

/** `host:port`, `[v6]:port` or `:port` (all interfaces). Port 0 picks a free port (tests). */
const LISTEN_ADDRESS = /^(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]*):\d{1,5}$/;

/** Where an HTTP endpoint listens (the web UI, a role's /metrics). */
export const ListenAddressSchema = z
  .string()
  .regex(LISTEN_ADDRESS, 'host:port, [ipv6]:port or :port')
  .refine((a) => Number(a.slice(a.lastIndexOf(':') + 1)) <= 65_535, 'port must be 0..65535');

/** Splits a validated listen address into what `listen()` takes. */
export function parseListenAddress(address: string): { host: string; port: number } {
  const colon = address.lastIndexOf(':');
  let host = address.slice(0, colon);
  if (host.startsWith('[') && host.endsWith(']')) host = host.slice(1, -1);
  return { host: host === '' ? '0.0.0.0' : host, port: Number(address.slice(colon + 1)) };
}

/** The base URL a client on this machine uses to reach a listening server. */
export function localUrl(host: string, port: number): string {
  const shown = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  return `http://${shown}:${port}`;
}
