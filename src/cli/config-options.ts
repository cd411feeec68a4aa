/**
 * The effective configuration of a run: hygiene.config.json (or --config) with the flags that
 * override it. Apart from the other shared options so that commands that read no configuration
 * (classify) do not load the configuration code.
 */
import { loadConfig, type ConfigOverrides, type EffectiveConfig } from '../config/config.js';

export function configFrom(flags: Record<string, unknown>, check?: ConfigOverrides['check']): EffectiveConfig {
  const overrides: ConfigOverrides = dnsConfigOverrides(flags);
  if (typeof flags.retryDelay === 'string') overrides.retryDelay = flags.retryDelay;
  if (typeof flags.softWindow === 'string') overrides.softWindow = flags.softWindow;
  if (typeof flags.softLimit === 'string') overrides.softLimit = flags.softLimit;
  if (typeof flags.retention === 'string') overrides.retention = flags.retention;
  if (check) overrides.check = check;
  return loadConfig({
    cwd: process.cwd(),
    overrides,
    ...(typeof flags.config === 'string' ? { path: flags.config } : {}),
  });
}

/** The DNS flags as configuration overrides (flags win over hygiene.config.json). */
function dnsConfigOverrides(flags: Record<string, unknown>): ConfigOverrides {
  const overrides: ConfigOverrides = {};
  if (typeof flags.checkDomains === 'boolean') overrides.checkDomains = flags.checkDomains;
  if (Array.isArray(flags.dnsServer)) overrides.dnsServers = (flags.dnsServer as string[]).join(',');
  if (typeof flags.dnsTimeout === 'string') overrides.dnsTimeout = flags.dnsTimeout;
  if (typeof flags.dnsConcurrency === 'string') overrides.dnsConcurrency = flags.dnsConcurrency;
  if (typeof flags.dnsBudget === 'string') overrides.dnsBudget = flags.dnsBudget;
  return overrides;
}
