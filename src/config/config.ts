import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import path from 'node:path';
import { HygieneError } from '../errors.js';
import type { PolicyConfig } from '../policy/decide.js';
import { parseDuration } from '../policy/duration.js';

/**
 * `hygiene.config.json`: every threshold of the policy and of the `check` gate. Values come from
 * the defaults, then the file, then command-line flags (flags win). Everything is validated once
 * here, so the rest of the tool can trust the numbers.
 */

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

// ---------------------------------------------------------------------------------------------
// Validation: one small rule per key.

type Checked = { ok: true; value: unknown } | { ok: false; expected: string; hint: string };
/** `lenient`: the value came from a command-line flag, where numbers arrive as text. */
type Rule = (value: unknown, lenient: boolean) => Checked;

const PERCENT = /^(\d{1,3}(?:\.\d{1,6})?)\s{0,2}%$/;
const WHOLE_NUMBER_TEXT = /^\d{1,15}$/;

const duration =
  (mustBePositive: boolean): Rule =>
  (value) => {
    const expected = mustBePositive
      ? 'a duration longer than zero like "30d", "2w" or "720h"'
      : 'a duration like "24h", "2d", "90m" or "1w" (a bare number means hours)';
    const hint = 'Write a number and a unit: m (minutes), h (hours), d (days), w (weeks).';
    if (typeof value !== 'string' && typeof value !== 'number') return { ok: false, expected, hint };
    try {
      const ms = parseDuration(value);
      if (mustBePositive && ms <= 0) return { ok: false, expected, hint };
      return { ok: true, value };
    } catch {
      return { ok: false, expected, hint };
    }
  };

const wholeNumber =
  (minimum: number): Rule =>
  (value, lenient) => {
    const number = lenient && typeof value === 'string' && WHOLE_NUMBER_TEXT.test(value.trim()) ? Number(value) : value;
    if (typeof number === 'number' && Number.isInteger(number) && number >= minimum) return { ok: true, value: number };
    return { ok: false, expected: `a whole number >= ${minimum}`, hint: `Use a number such as ${Math.max(minimum, 4)}.` };
  };

const share: Rule = (value, lenient) => {
  const expected = 'a share between 0 and 1 (0.2) or a percentage ("20%")';
  const hint = 'Write 0.2 or "20%" to warn when blocks are a fifth of bounces.';
  if (typeof value === 'string') {
    const percent = PERCENT.exec(value.trim());
    if (percent !== null && Number(percent[1]) <= 100) return { ok: true, value: Number(percent[1]) / 100 };
    if (lenient && value.trim() !== '' && Number(value) >= 0 && Number(value) <= 1) return { ok: true, value: Number(value) };
  }
  if (typeof value === 'number' && value >= 0 && value <= 1) return { ok: true, value };
  return { ok: false, expected, hint };
};

const threshold =
  (nullable: boolean): Rule =>
  (value, lenient) => {
    const expected = `a whole number >= 0 or a percentage from "0%" to "100%"${nullable ? ', or null for no limit' : ''}`;
    const hint = 'A count of rows (0 = none allowed) or a share of the input rows such as "5%".';
    if (value === null && nullable) return { ok: true, value: null };
    if (typeof value === 'number' && Number.isInteger(value) && value >= 0) return { ok: true, value };
    if (typeof value === 'string') {
      const text = value.trim();
      const percent = PERCENT.exec(text);
      if (percent !== null && Number(percent[1]) <= 100) return { ok: true, value: text.replace(/\s/g, '') };
      if (lenient && WHOLE_NUMBER_TEXT.test(text)) return { ok: true, value: Number(text) };
      if (lenient && nullable && (text === 'none' || text === 'null')) return { ok: true, value: null };
    }
    return { ok: false, expected, hint };
  };

const ruleNames: Rule = (value, lenient) => {
  const list = lenient && typeof value === 'string' ? value.split(',').map((name) => name.trim()).filter(Boolean) : value;
  const expected = `a list of rule names (${CHECK_RULES.join(', ')})`;
  const hint = `For example ["role", "retry-later"].`;
  if (!Array.isArray(list)) return { ok: false, expected, hint };
  const known = new Set<string>(CHECK_RULES);
  for (const name of list) {
    if (typeof name !== 'string' || !known.has(name)) return { ok: false, expected, hint };
  }
  return { ok: true, value: [...new Set(list as string[])] };
};

const flag: Rule = (value, lenient) => {
  if (typeof value === 'boolean') return { ok: true, value };
  if (lenient && (value === 'true' || value === 'false')) return { ok: true, value: value === 'true' };
  return { ok: false, expected: 'true or false', hint: 'Write true to turn it on.' };
};

/** `IP`, `IP:PORT` or `[IPv6]:PORT`: Node's resolver takes addresses, not names. */
function isResolverAddress(text: string): boolean {
  const bracketed = /^\[([0-9a-fA-F:.]+)\](?::(\d{1,5}))?$/.exec(text);
  if (bracketed) return isIP(bracketed[1]!) === 6 && (bracketed[2] === undefined || Number(bracketed[2]) <= 65535);
  if (isIP(text) !== 0) return true;
  const withPort = /^([0-9.]+):(\d{1,5})$/.exec(text);
  return withPort !== null && isIP(withPort[1]!) === 4 && Number(withPort[2]) <= 65535;
}

const resolverList: Rule = (value, lenient) => {
  const list = lenient && typeof value === 'string' ? value.split(',').map((s) => s.trim()).filter(Boolean) : value;
  const expected = 'a list of resolver addresses like ["127.0.0.1:5353", "9.9.9.9", "[::1]:53"]';
  const hint = 'Give IP addresses (with :PORT if not 53), not host names: the resolver itself is not looked up.';
  if (!Array.isArray(list) || !list.every((s) => typeof s === 'string' && isResolverAddress(s))) return { ok: false, expected, hint };
  return { ok: true, value: [...new Set(list as string[])] };
};

const seconds: Rule = (value, lenient) => {
  const number = lenient && typeof value === 'string' && /^\d{1,3}(\.\d{1,3})?$/.test(value.trim()) ? Number(value) : value;
  if (typeof number === 'number' && number >= 0.05 && number <= 120) return { ok: true, value: number };
  return { ok: false, expected: 'a number of seconds from 0.05 to 120', hint: 'For example 5 (seconds) or 0.5.' };
};

const concurrency: Rule = (value, lenient) => {
  const checked = wholeNumber(1)(value, lenient);
  if (checked.ok && (checked.value as number) <= 256) return checked;
  return { ok: false, expected: 'a whole number from 1 to 256', hint: 'The default, 16, is polite to any resolver.' };
};

const TOP_RULES: Readonly<Record<Exclude<keyof HygieneConfig, 'check'>, Rule>> = {
  retryDelay: duration(false),
  softWindow: duration(true),
  softLimit: wholeNumber(1),
  blockShareWarning: share,
  retention: duration(true),
  checkDomains: flag,
  dnsServers: resolverList,
  dnsTimeout: seconds,
  dnsConcurrency: concurrency,
  dnsBudget: duration(true),
};

const CHECK_KEY_RULES: Readonly<Record<keyof CheckConfig, Rule>> = {
  maxInvalid: threshold(false),
  maxTypo: threshold(false),
  maxDisposable: threshold(false),
  maxSuppressed: threshold(false),
  maxComplaint: threshold(false),
  maxDuplicates: threshold(false),
  maxRetryLater: threshold(false),
  maxRole: threshold(true),
  maxDeadDomain: threshold(false),
  maxDns: threshold(true),
  maxSender: threshold(false),
  warnOnly: ruleNames,
};

// ---------------------------------------------------------------------------------------------

/**
 * Loads the effective configuration. `path` (from `--config`) must exist; without it
 * `hygiene.config.json` in `cwd` is read when present, else the defaults apply. Overrides (CLI
 * flags) win over the file; undefined overrides are ignored. Throws HygieneError
 * (CONFIG_INVALID / CONFIG_NOT_FOUND, exit 2).
 */
export function loadConfig(options: { path?: string; cwd: string; overrides?: ConfigOverrides }): EffectiveConfig {
  const explicit = options.path !== undefined;
  const shownPath = options.path ?? DEFAULT_CONFIG_FILE;
  const absolute = path.resolve(options.cwd, shownPath);
  const text = readConfigFile(absolute, shownPath, explicit);

  const values: HygieneConfig = { ...DEFAULT_CONFIG, dnsServers: [], check: { ...DEFAULT_CONFIG.check, warnOnly: [] } };
  const sources = defaultSources();

  if (text !== null) {
    const parsed = parseJson(text, shownPath);
    applyLayer(values, sources, parsed, { label: shownPath, source: 'file', file: shownPath });
  }
  if (options.overrides !== undefined) {
    applyLayer(values, sources, options.overrides, { label: 'command line', source: 'flag', file: undefined });
  }

  return {
    ...values,
    policy: {
      softLimit: values.softLimit,
      softWindowMs: parseDuration(values.softWindow),
      retryDelayMs: parseDuration(values.retryDelay),
    },
    dns: {
      servers: values.dnsServers,
      timeoutMs: Math.round(values.dnsTimeout * 1000),
      concurrency: values.dnsConcurrency,
      budgetMs: parseDuration(values.dnsBudget),
    },
    sources,
    file: text === null ? null : absolute,
  };
}

/** Only the configuration values (what a config file holds), without sources and derived fields. */
export function configValues(config: HygieneConfig): HygieneConfig {
  return {
    retryDelay: config.retryDelay,
    softWindow: config.softWindow,
    softLimit: config.softLimit,
    blockShareWarning: config.blockShareWarning,
    retention: config.retention,
    checkDomains: config.checkDomains,
    dnsServers: [...config.dnsServers],
    dnsTimeout: config.dnsTimeout,
    dnsConcurrency: config.dnsConcurrency,
    dnsBudget: config.dnsBudget,
    check: { ...config.check, warnOnly: [...config.check.warnOnly] },
  };
}

/**
 * The configuration as pretty JSON, each value followed by a `// default|file|flag` comment
 * (for `config --print`; `JSON.stringify(configValues(config))` gives plain JSON).
 */
export function formatConfig(config: EffectiveConfig): string {
  const values = configValues(config);
  const rows: Array<{ text: string; source?: ConfigSource }> = [{ text: '{' }];
  const topKeys = Object.keys(TOP_RULES) as Array<Exclude<keyof HygieneConfig, 'check'>>;
  for (const key of topKeys) {
    rows.push({ text: `  ${JSON.stringify(key)}: ${JSON.stringify(values[key])},`, source: config.sources[key] });
  }
  rows.push({ text: '  "check": {' });
  const checkKeys = Object.keys(CHECK_KEY_RULES) as Array<keyof CheckConfig>;
  checkKeys.forEach((key, index) => {
    const comma = index === checkKeys.length - 1 ? '' : ',';
    rows.push({
      text: `    ${JSON.stringify(key)}: ${JSON.stringify(values.check[key])}${comma}`,
      source: config.sources[`check.${key}`],
    });
  });
  rows.push({ text: '  }' }, { text: '}' });
  const width = Math.max(...rows.map((row) => row.text.length));
  const origin = config.file === null ? 'no config file, defaults' : `file ${config.file}`;
  return [
    `// hygiene configuration (${origin}); each value says where it came from: default, file or flag`,
    ...rows.map((row) => (row.source === undefined ? row.text : `${row.text.padEnd(width)}  // ${row.source}`)),
  ].join('\n');
}

// ---------------------------------------------------------------------------------------------

function readConfigFile(absolute: string, shown: string, explicit: boolean): string | null {
  try {
    return readFileSync(absolute, 'utf8').replace(/^\uFEFF/, '');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' && !explicit) return null;
    if (code === 'ENOENT') {
      throw new HygieneError({
        code: 'CONFIG_NOT_FOUND',
        message: `${shown}: config file not found`,
        hint: `Check the path given to --config, or leave it out to use ${DEFAULT_CONFIG_FILE} or the defaults.`,
        file: shown,
      });
    }
    throw new HygieneError({
      code: 'CONFIG_INVALID',
      message: `${shown}: cannot read the config file (${code ?? (error as Error).message})`,
      hint: 'Give the path of a readable JSON file.',
      file: shown,
    });
  }
}

function parseJson(text: string, shown: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const offset = jsonErrorOffset(text);
    const before = text.slice(0, offset);
    const line = before.split('\n').length;
    const column = offset - before.lastIndexOf('\n');
    const why = withoutEcho((error as Error).message);
    throw new HygieneError({
      code: 'CONFIG_INVALID',
      message: `${shown}:${line}:${column}: invalid JSON (${why})`,
      hint: 'The config file is plain JSON: double-quoted keys, no comments, no trailing commas.',
      file: shown,
      line,
    });
  }
}

/** V8's message without the echoed input and the offset (we give line and column instead). */
function withoutEcho(message: string): string {
  const cuts = [message.indexOf(', "'), message.indexOf(' in JSON at position')].filter((at) => at >= 0);
  return cuts.length === 0 ? message : message.slice(0, Math.min(...cuts));
}

interface Layer {
  label: string;
  source: ConfigSource;
  file: string | undefined;
}

function applyLayer(values: HygieneConfig, sources: Record<ConfigKey, ConfigSource>, input: unknown, layer: Layer): void {
  const lenient = layer.source === 'flag';
  if (!isPlainObject(input)) {
    throw configError(layer, '(top level)', 'an object such as {"softLimit": 4}', input, 'The file holds one JSON object.');
  }
  for (const [key, value] of Object.entries(input)) {
    if (value === undefined) continue;
    if (key === 'check') {
      if (!isPlainObject(value)) {
        throw configError(layer, 'check', 'an object such as {"maxInvalid": 0}', value, 'Group the gate thresholds under "check".');
      }
      for (const [checkKey, checkValue] of Object.entries(value)) {
        if (checkValue === undefined) continue;
        const rule = ownRule(CHECK_KEY_RULES, checkKey);
        if (rule === undefined) throw unknownKey(layer, `check.${checkKey}`, checkKey, Object.keys(CHECK_KEY_RULES));
        const checked = rule(checkValue, lenient);
        if (!checked.ok) throw configError(layer, `check.${checkKey}`, checked.expected, checkValue, checked.hint);
        (values.check as unknown as Record<string, unknown>)[checkKey] = checked.value;
        sources[`check.${checkKey as keyof CheckConfig}`] = layer.source;
      }
      continue;
    }
    const rule = ownRule(TOP_RULES, key);
    if (rule === undefined) throw unknownKey(layer, key, key, [...Object.keys(TOP_RULES), 'check']);
    const checked = rule(value, lenient);
    if (!checked.ok) throw configError(layer, key, checked.expected, value, checked.hint);
    (values as unknown as Record<string, unknown>)[key] = checked.value;
    sources[key as Exclude<keyof HygieneConfig, 'check'>] = layer.source;
  }
}

function ownRule<T extends object>(rules: T, key: string): Rule | undefined {
  return Object.prototype.hasOwnProperty.call(rules, key) ? (rules as Record<string, Rule>)[key] : undefined;
}

function defaultSources(): Record<ConfigKey, ConfigSource> {
  const sources = {} as Record<ConfigKey, ConfigSource>;
  for (const key of Object.keys(TOP_RULES)) sources[key as ConfigKey] = 'default';
  for (const key of Object.keys(CHECK_KEY_RULES)) sources[`check.${key}` as ConfigKey] = 'default';
  return sources;
}

function configError(layer: Layer, key: string, expected: string, value: unknown, hint: string): HygieneError {
  return new HygieneError({
    code: 'CONFIG_INVALID',
    message: `${layer.label}: ${key} must be ${expected}, got ${show(value)}`,
    hint,
    file: layer.file,
  });
}

function unknownKey(layer: Layer, shownKey: string, key: string, known: string[]): HygieneError {
  const squash = (text: string): string => text.toLowerCase().replace(/[-_\s]/g, '');
  const close = known.find((candidate) => squash(candidate) === squash(key));
  return new HygieneError({
    code: 'CONFIG_INVALID',
    message: `${layer.label}: unknown key ${JSON.stringify(shownKey)}`,
    hint: close !== undefined ? `Did you mean "${close}"? ` + `Known keys: ${known.join(', ')}.` : `Known keys: ${known.join(', ')}.`,
    file: layer.file,
  });
}

function show(value: unknown): string {
  const text = value === undefined ? 'nothing' : JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 59)}…` : text;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Where JSON.parse gave up, for "line:column" messages (V8 does not always say). A small
 * recursive-descent reader of the JSON grammar; only run on text that failed to parse.
 */
function jsonErrorOffset(text: string): number {
  let i = 0;
  const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
  const fail = (): never => {
    throw new JsonStop();
  };
  const space = (): void => {
    while (i < text.length && (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r')) i++;
  };
  const expect = (char: string): void => {
    if (text[i] !== char) fail();
    i++;
  };
  const string = (): void => {
    expect('"');
    while (i < text.length && text[i] !== '"') {
      if (text.charCodeAt(i) < 0x20) fail();
      if (text[i] === '\\') {
        i++;
        if (text[i] === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 1, i + 5))) fail();
          i += 4;
        } else if (!'"\\/bfnrt'.includes(text[i] ?? 'x')) fail();
      }
      i++;
    }
    expect('"');
  };
  const value = (depth: number): void => {
    if (depth > 256) fail();
    space();
    const char = text[i];
    if (char === '{' || char === '[') {
      const close = char === '{' ? '}' : ']';
      i++;
      space();
      if (text[i] === close) {
        i++;
        return;
      }
      for (;;) {
        if (close === '}') {
          space();
          string();
          space();
          expect(':');
        }
        value(depth + 1);
        space();
        if (text[i] === ',') {
          i++;
          continue;
        }
        expect(close);
        return;
      }
    }
    if (char === '"') return string();
    for (const literal of ['true', 'false', 'null']) {
      if (text.startsWith(literal, i)) {
        i += literal.length;
        return;
      }
    }
    NUMBER.lastIndex = i;
    if (NUMBER.exec(text) === null) fail();
    i = NUMBER.lastIndex;
  };
  try {
    value(0);
    space();
    if (i < text.length) fail();
  } catch (error) {
    if (!(error instanceof JsonStop)) throw error;
  }
  return Math.min(i, text.length);
}

class JsonStop extends Error {}
