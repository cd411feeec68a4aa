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
  check: CheckConfig;
}

export type ConfigSource = 'default' | 'file' | 'flag';
export type ConfigKey = Exclude<keyof HygieneConfig, 'check'> | `check.${keyof CheckConfig}`;

export interface EffectiveConfig extends HygieneConfig {
  /** The durations in milliseconds, as `decide` takes them. */
  policy: PolicyConfig;
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
  check: Object.freeze({
    maxInvalid: 0,
    maxTypo: 0,
    maxDisposable: 0,
    maxSuppressed: 0,
    maxComplaint: 0,
    maxDuplicates: 0,
    maxRetryLater: '5%',
    maxRole: null,
    warnOnly: [] as CheckRule[],
  }),
});

/** The top-level keys in the order files and `config --print` show them. */
export const TOP_KEYS = ['retryDelay', 'softWindow', 'softLimit', 'blockShareWarning'] as const satisfies ReadonlyArray<
  Exclude<keyof HygieneConfig, 'check'>
>;

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
  'warnOnly',
] as const satisfies ReadonlyArray<keyof CheckConfig>;
