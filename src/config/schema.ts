/**
 * `hygiene.config.json`: its shape and its defaults. Values come from the defaults, then the
 * file, then command-line flags (flags win); validate.ts checks every value once, so the rest of
 * the tool can trust the numbers.
 */
import type { PolicyConfig } from '../policy/decide.js';

export const DEFAULT_CONFIG_FILE = 'hygiene.config.json';

/** The names of the `check` rules, as `warnOnly` lists them. */
export const CHECK_RULES = [
  'invalid',
  'typo',
  'disposable',
  'suppressed',
  'complaint',
  'duplicates',
  'retry-later',
  'role',
  'dead-domain',
  'dns',
  'sender',
] as const;
export type CheckRule = (typeof CHECK_RULES)[number];

/** A whole number of rows, or a percentage of the input rows ("5%"). */
export type Threshold = number | string;

export interface CheckConfig {
  maxInvalid: Threshold;
  maxTypo: Threshold;
  maxDisposable: Threshold;
  maxSuppressed: Threshold;
  maxComplaint: Threshold;
  maxDuplicates: Threshold;
  maxRetryLater: Threshold;
  /** null: no limit (role accounts are only counted). */
  maxRole: Threshold | null;
  /** With DNS checks: rows at domains that cannot receive mail. */
  maxDeadDomain: Threshold;
  /** With DNS checks: rows at bad-mx or undetermined domains; null: no limit (only a warning). */
  maxDns: Threshold | null;
  /** With a sender domain: failed findings of its SPF, DMARC and MX records. */
  maxSender: Threshold;
  /** Rules that only warn (exit 0) instead of failing the gate. */
  warnOnly: CheckRule[];
}

export interface HygieneConfig {
  /** How long a soft-bounced or blocked address waits ("24h", "2d", or a number of hours). */
  retryDelay: string | number;
  /** How far back soft bounces are counted. */
  softWindow: string | number;
  /** Counted soft bounces that suppress an address. */
  softLimit: number;
  /** Share of bounce events (0..1) from which blocks are reported as a sender problem. */
  blockShareWarning: number;
  /**
   * How long `hygiene prune` keeps events that can no longer change a decision once a later
   * event supersedes them (deliveries, soft bounces, blocks, auto-replies). At least the soft
   * window and the retry delay; hard bounces and complaints are always kept.
   */
  retention: string | number;
  /** Look up the list's domains (MX, else A/AAAA) in clean and check. */
  checkDomains: boolean;
  /** Resolvers (`IP` or `IP:PORT`, `[IPv6]:PORT`); empty: the system's. */
  dnsServers: string[];
  /** Seconds one DNS question may take. */
  dnsTimeout: number;
  /** Domains looked up at once. */
  dnsConcurrency: number;
  /** Wall-clock time all look-ups of a run may take ("10m"). */
  dnsBudget: string | number;
  check: CheckConfig;
}

export type ConfigSource = 'default' | 'file' | 'flag';
export type ConfigKey = Exclude<keyof HygieneConfig, 'check'> | `check.${keyof CheckConfig}`;

export interface EffectiveConfig extends HygieneConfig {
  /** The durations in milliseconds, as `decide` takes them. */
  policy: PolicyConfig;
  /** The DNS settings in the units the DNS checks take. */
  dns: { servers: string[]; timeoutMs: number; concurrency: number; budgetMs: number };
  /** Where each value came from. */
  sources: Record<ConfigKey, ConfigSource>;
  /** The config file that was read (absolute), or null when none was. */
  file: string | null;
}

/** Values as CLI flags give them: numbers may arrive as strings; undefined means "not given". */
export type ConfigOverrides = {
  [K in Exclude<keyof HygieneConfig, 'check'>]?: HygieneConfig[K] | string;
} & {
  check?: { [K in keyof CheckConfig]?: CheckConfig[K] | string | string[] };
};

export const DEFAULT_CONFIG: Readonly<HygieneConfig> = Object.freeze({
  retryDelay: '24h',
  softWindow: '30d',
  softLimit: 4,
  blockShareWarning: 0.2,
  retention: '90d',
  checkDomains: false,
  dnsServers: [] as string[],
  dnsTimeout: 5,
  dnsConcurrency: 16,
  dnsBudget: '10m',
  check: Object.freeze({
    maxInvalid: 0,
    maxTypo: 0,
    maxDisposable: 0,
    maxSuppressed: 0,
    maxComplaint: 0,
    maxDuplicates: 0,
    maxRetryLater: '5%',
    maxRole: null,
    maxDeadDomain: 0,
    maxDns: null,
    maxSender: 0,
    warnOnly: [] as CheckRule[],
  }),
});

/** The top-level keys in the order files and `config --print` show them. */
export const TOP_KEYS = [
  'retryDelay',
  'softWindow',
  'softLimit',
  'blockShareWarning',
  'retention',
  'checkDomains',
  'dnsServers',
  'dnsTimeout',
  'dnsConcurrency',
  'dnsBudget',
] as const satisfies ReadonlyArray<Exclude<keyof HygieneConfig, 'check'>>;

/** The keys of `check`, in the order files and `config --print` show them. */
export const CHECK_KEYS = [
  'maxInvalid',
  'maxTypo',
  'maxDisposable',
  'maxSuppressed',
  'maxComplaint',
  'maxDuplicates',
  'maxRetryLater',
  'maxRole',
  'maxDeadDomain',
  'maxDns',
  'maxSender',
  'warnOnly',
] as const satisfies ReadonlyArray<keyof CheckConfig>;
