/**
 * DNS for the authentication rule, used only when asked (`--dns`): the system's resolver, or one
 * the servers given as HOST[:PORT] (`--dns-server`, repeatable: for tests and for checking what one server sees).
 */
import { Resolver } from 'node:dns/promises';
import { isIP } from 'node:net';
import { HygieneError } from '../errors.js';
import type { LintEnvironment } from './view.js';

export function lintResolver(servers: string | string[] | null, timeoutMs = 3000): NonNullable<LintEnvironment['resolver']> {
  const resolver = new Resolver({ timeout: timeoutMs, tries: 2 });
  const list = servers === null ? [] : Array.isArray(servers) ? servers : [servers];
  if (list.length > 0) resolver.setServers(list.map(normaliseServer));
  return (name, type) => resolver.resolve(name, type);
}

/** "127.0.0.1:5353", "127.0.0.1", "[::1]:5353", "::1" -> the form setServers takes. */
function normaliseServer(server: string): string {
  const text = server.trim();
  const bracketed = /^\[([0-9a-f:.]+)\](?::(\d{1,5}))?$/i.exec(text);
  const hostPort = /^([0-9.]+)(?::(\d{1,5}))?$/.exec(text);
  const [host, port] = bracketed
    ? [bracketed[1]!, bracketed[2]]
    : hostPort
      ? [hostPort[1]!, hostPort[2]]
      : isIP(text) === 6
        ? [text, undefined]
        : ['', undefined];
  if (isIP(host) === 0 || (port !== undefined && (Number(port) < 1 || Number(port) > 65535))) {
    throw new HygieneError({
      code: 'BAD_OPTION',
      message: `--dns-server ${JSON.stringify(server)} is not an IP address with an optional port`,
      hint: 'Write it like 127.0.0.1:5353, 192.0.2.53 or [::1]:5353.',
    });
  }
  if (port === undefined) return host;
  return isIP(host) === 6 ? `[${host}]:${port}` : `${host}:${port}`;
}
