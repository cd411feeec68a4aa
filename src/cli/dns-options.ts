import type { Command } from 'commander';
import type { ConfigOverrides, EffectiveConfig } from '../config/config.js';
import type { DomainCheckOptions } from '../pipeline/domain-checks.js';
import { createProgress } from './progress.js';

/** The DNS options of clean, check and domains: flags -> config overrides -> typed options. */

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** `--check-domains` (clean, check) and the resolver options (clean, check, domains). */
export function addDnsOptions(command: Command, withSwitch: boolean): Command {
  if (withSwitch) command.option('--check-domains', 'look up each domain of the list (MX, else A/AAAA): suppress domains that cannot receive mail');
  return command
    .option('--dns-server <ip[:port]>', 'a resolver to ask (repeatable; default: the system resolvers)', collect)
    .option('--dns-timeout <seconds>', 'time one DNS question may take (default 5)')
    .option('--dns-concurrency <n>', 'domains looked up at once (default 16)')
    .option('--dns-budget <duration>', 'time all look-ups may take, e.g. 10m (default); the rest stays undetermined')
    .option('--no-dns-cache', 'ask the DNS about every domain: neither read nor write the cache in the history database');
}

/** The DNS flags as configuration overrides (flags win over hygiene.config.json). */
export function dnsConfigOverrides(flags: Record<string, unknown>): ConfigOverrides {
  const overrides: ConfigOverrides = {};
  if (flags.checkDomains === true) overrides.checkDomains = true;
  if (Array.isArray(flags.dnsServer)) overrides.dnsServers = (flags.dnsServer as string[]).join(',');
  if (typeof flags.dnsTimeout === 'string') overrides.dnsTimeout = flags.dnsTimeout;
  if (typeof flags.dnsConcurrency === 'string') overrides.dnsConcurrency = flags.dnsConcurrency;
  if (typeof flags.dnsBudget === 'string') overrides.dnsBudget = flags.dnsBudget;
  return overrides;
}

/** The DNS check options, or null when the run does not check domains. */
export function domainCheckOptionsFrom(
  flags: Record<string, unknown>,
  config: EffectiveConfig,
  run: { statePath: string | null; now: Date; always?: boolean },
): DomainCheckOptions | null {
  if (!run.always && !config.checkDomains) return null;
  const progress = createProgress({ label: 'dns', unit: 'domains' });
  return {
    servers: config.dns.servers,
    timeoutMs: config.dns.timeoutMs,
    concurrency: config.dns.concurrency,
    budgetMs: config.dns.budgetMs,
    statePath: run.statePath,
    useCache: flags.dnsCache !== false,
    now: run.now,
    onProgress: (done, total) => {
      progress.update(done);
      if (done === total) progress.done();
    },
  };
}
