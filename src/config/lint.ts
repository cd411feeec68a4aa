/**
 * `lint.rules` in hygiene.config.json: per lint rule, "off", a severity that re-grades it
 * ("error", "warning", "info"), or an object with a `severity` and the rule's thresholds:
 *
 *   "lint": { "rules": {
 *     "spam-phrases": "off",
 *     "no-text-part": "error",
 *     "too-many-links": { "maxLinks": 40, "maxDomains": 10 },
 *     "list-unsubscribe": { "bulk": true }
 *   } }
 */
import { DEFAULT_THRESHOLDS, type LintSettings, type LintThresholds, type RuleGrade } from '../lint/settings.js';
import { LINT_RULE_IDS, type LintRuleId } from '../lint/types.js';

export type LintRuleSetting = RuleGrade | ({ severity?: RuleGrade } & Record<string, number | boolean | string>);
export type LintRulesConfig = Partial<Record<LintRuleId, LintRuleSetting>>;

export interface LintConfig {
  rules: LintRulesConfig;
}

/** Reports a bad value: (key as shown, what was expected, the value, a hint). */
export type ConfigFailure = (key: string, expected: string, value: unknown, hint: string) => Error;
/** Reports an unknown key: (key as shown, the key, the known keys). */
export type UnknownKeyFailure = (shownKey: string, key: string, known: string[]) => Error;

interface OptionRule {
  threshold: keyof LintThresholds;
  expected: string;
  /** The value as given -> the threshold's value, or undefined when it is not acceptable. */
  read(value: unknown): number | boolean | undefined;
  /** The threshold's value -> the value as written in the config. */
  show(value: number | boolean): number | boolean;
}

const positive = (scale: number, expected: string, threshold: keyof LintThresholds): OptionRule => ({
  threshold,
  expected,
  read: (value) => (typeof value === 'number' && Number.isFinite(value) && value > 0 ? Math.round(value * scale) : undefined),
  show: (value) => Number(value) / scale,
});
const whole = (minimum: number, threshold: keyof LintThresholds): OptionRule => ({
  threshold,
  expected: `a whole number >= ${minimum}`,
  read: (value) => (typeof value === 'number' && Number.isInteger(value) && value >= minimum ? value : undefined),
  show: (value) => value,
});
const share = (threshold: keyof LintThresholds): OptionRule => ({
  threshold,
  expected: 'a share between 0 and 1, such as 0.5',
  read: (value) => (typeof value === 'number' && value > 0 && value <= 1 ? value : undefined),
  show: (value) => value,
});
const MB = 1024 * 1024;

/** The thresholds each rule takes, by the name used in the config. */
const RULE_OPTIONS: Partial<Record<LintRuleId, Record<string, OptionRule>>> = {
  'size-limit': {
    warningMB: positive(MB, 'a size in MB larger than 0, such as 10', 'sizeWarningBytes'),
    errorMB: positive(MB, 'a size in MB larger than 0, such as 25', 'sizeErrorBytes'),
  },
  'html-clipped': { maxKB: positive(1024, 'a size in KB larger than 0, such as 102', 'htmlClipBytes') },
  'image-only': { minWords: whole(1, 'imageOnlyMinWords'), bigImageMinWords: whole(1, 'bigImageMinWords') },
  'subject-caps': { maxShare: share('subjectCapsShare') },
  'body-caps': { maxShare: share('bodyCapsShare') },
  'too-many-links': { maxLinks: whole(1, 'maxLinks'), maxDomains: whole(1, 'maxLinkDomains') },
  'list-unsubscribe': {
    bulk: {
      threshold: 'bulk',
      expected: 'true or false',
      read: (value) => (typeof value === 'boolean' ? value : undefined),
      show: (value) => value,
    },
  },
};

const GRADES: readonly RuleGrade[] = ['off', 'error', 'warning', 'info'];

/** Checks a `lint` object and applies it on top of `current` (a later layer wins per rule). */
export function applyLintConfig(current: LintConfig, input: unknown, fail: ConfigFailure, unknownKey: UnknownKeyFailure): LintConfig {
  if (!isPlainObject(input))
    throw fail('lint', 'an object such as {"rules": {"spam-phrases": "off"}}', input, 'Group the lint settings under "lint".');
  const rules: LintRulesConfig = { ...current.rules };
  for (const [key, value] of Object.entries(input)) {
    if (key !== 'rules') throw unknownKey(`lint.${key}`, key, ['rules']);
    if (!isPlainObject(value))
      throw fail('lint.rules', 'an object of rule ids, such as {"spam-phrases": "off"}', value, `Rule ids: ${LINT_RULE_IDS.join(', ')}.`);
    for (const [id, setting] of Object.entries(value)) {
      if (!(LINT_RULE_IDS as readonly string[]).includes(id)) throw unknownKey(`lint.rules.${id}`, id, [...LINT_RULE_IDS]);
      rules[id as LintRuleId] = checkRuleSetting(id as LintRuleId, setting, fail, unknownKey);
    }
  }
  return { rules };
}

function checkRuleSetting(id: LintRuleId, setting: unknown, fail: ConfigFailure, unknownKey: UnknownKeyFailure): LintRuleSetting {
  const options = RULE_OPTIONS[id] ?? {};
  const optionNames = Object.keys(options);
  const expected = `"off", "error", "warning", "info"${optionNames.length > 0 ? `, or an object with "severity" and ${optionNames.map((n) => `"${n}"`).join(', ')}` : ''}`;
  if (typeof setting === 'string') {
    if ((GRADES as readonly string[]).includes(setting)) return setting as RuleGrade;
    throw fail(`lint.rules.${id}`, expected, setting, '"off" switches the rule off; a severity re-grades all its findings.');
  }
  if (!isPlainObject(setting))
    throw fail(`lint.rules.${id}`, expected, setting, '"off" switches the rule off; a severity re-grades all its findings.');
  const checked: { severity?: RuleGrade } & Record<string, number | boolean | string> = {};
  for (const [name, value] of Object.entries(setting)) {
    if (name === 'severity') {
      if (typeof value !== 'string' || !(GRADES as readonly string[]).includes(value))
        throw fail(
          `lint.rules.${id}.severity`,
          '"off", "error", "warning" or "info"',
          value,
          "Leave it out to keep the rule's own severities.",
        );
      checked.severity = value as RuleGrade;
      continue;
    }
    const option = options[name];
    if (!option) throw unknownKey(`lint.rules.${id}.${name}`, name, ['severity', ...optionNames]);
    if (option.read(value) === undefined)
      throw fail(
        `lint.rules.${id}.${name}`,
        option.expected,
        value,
        `The default is ${JSON.stringify(option.show(DEFAULT_THRESHOLDS[option.threshold]))}.`,
      );
    checked[name] = value as number | boolean;
  }
  return checked;
}

/** The settings the lint rules run with. */
export function lintSettingsOf(config: LintConfig): LintSettings {
  const settings: LintSettings = { grades: {}, thresholds: { ...DEFAULT_THRESHOLDS } };
  for (const [id, setting] of Object.entries(config.rules) as Array<[LintRuleId, LintRuleSetting]>) {
    if (typeof setting === 'string') {
      settings.grades[id] = setting;
      continue;
    }
    if (setting.severity !== undefined) settings.grades[id] = setting.severity;
    for (const [name, value] of Object.entries(setting)) {
      const option = RULE_OPTIONS[id]?.[name];
      const read = option?.read(value);
      if (option && read !== undefined) (settings.thresholds as unknown as Record<string, number | boolean>)[option.threshold] = read;
    }
  }
  return settings;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
