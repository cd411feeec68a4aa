/**
 * Validation of configuration values, one small rule per key, and applying a layer of values
 * (the file, then the flags) over the defaults. Errors are CONFIG_INVALID with the key, what it
 * must be, what it was, and a hint.
 */
import { isIP } from 'node:net';
import { HygieneError } from '../errors.js';
import { parseDuration } from '../policy/duration.js';
import { isJsonObject } from '../text/json.js';
import { applyLintConfig } from './lint.js';
import { CHECK_KEYS, CHECK_RULES, TOP_KEYS, type CheckConfig, type ConfigKey, type ConfigSource, type HygieneConfig } from './schema.js';

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
  const list =
    lenient && typeof value === 'string'
      ? value
          .split(',')
          .map((name) => name.trim())
          .filter(Boolean)
      : value;
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
  const list =
    lenient && typeof value === 'string'
      ? value
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean)
      : value;
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

const TOP_RULES: Readonly<Record<Exclude<keyof HygieneConfig, 'check' | 'lint'>, Rule>> = {
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
  maxNoAddress: threshold(true),
  maxDeadDomain: threshold(false),
  maxDns: threshold(true),
  maxSender: threshold(false),
  warnOnly: ruleNames,
};

/** Where a layer of values comes from, for messages. */
export interface Layer {
  label: string;
  source: ConfigSource;
  file: string | undefined;
}

export function applyLayer(values: HygieneConfig, sources: Record<ConfigKey, ConfigSource>, input: unknown, layer: Layer): void {
  const lenient = layer.source === 'flag';
  if (!isJsonObject(input)) {
    throw configError(layer, '(top level)', 'an object such as {"softLimit": 4}', input, 'The file holds one JSON object.');
  }
  for (const [key, value] of Object.entries(input)) {
    if (value === undefined) continue;
    if (key === 'check') {
      if (!isJsonObject(value)) {
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
    if (key === 'lint') {
      values.lint = applyLintConfig(
        values.lint,
        value,
        (shownKey, expected, bad, hint) => configError(layer, shownKey, expected, bad, hint),
        (shownKey, name, known) => unknownKey(layer, shownKey, name, known),
      );
      sources['lint.rules'] = layer.source;
      continue;
    }
    const rule = ownRule(TOP_RULES, key);
    if (rule === undefined) throw unknownKey(layer, key, key, [...Object.keys(TOP_RULES), 'check', 'lint']);
    const checked = rule(value, lenient);
    if (!checked.ok) throw configError(layer, key, checked.expected, value, checked.hint);
    (values as unknown as Record<string, unknown>)[key] = checked.value;
    sources[key as Exclude<keyof HygieneConfig, 'check' | 'lint'>] = layer.source;
  }
}

function ownRule<T extends object>(rules: T, key: string): Rule | undefined {
  return Object.prototype.hasOwnProperty.call(rules, key) ? (rules as Record<string, Rule>)[key] : undefined;
}

export function defaultSources(): Record<ConfigKey, ConfigSource> {
  const sources = {} as Record<ConfigKey, ConfigSource>;
  for (const key of TOP_KEYS) sources[key] = 'default';
  for (const key of CHECK_KEYS) sources[`check.${key}`] = 'default';
  sources['lint.rules'] = 'default';
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
