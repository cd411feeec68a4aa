import { describe, expect, it } from 'vitest';
import { applyLintConfig, lintSettingsOf } from '../../src/config/lint.js';
import { DEFAULT_THRESHOLDS } from '../../src/lint/settings.js';

const fail = (key: string, expected: string, value: unknown) => new Error(`${key} must be ${expected}, got ${JSON.stringify(value)}`);
const unknown = (shown: string) => new Error(`unknown key ${shown}`);
const apply = (input: unknown) => applyLintConfig({ rules: {} }, input, fail, unknown);

describe('lint.rules in the config', () => {
  it('takes grades and thresholds, and turns them into rule settings', () => {
    const config = apply({
      rules: {
        'spam-phrases': 'off',
        'no-text-part': 'error',
        'too-many-links': { severity: 'info', maxLinks: 40, maxDomains: 12 },
        'size-limit': { warningMB: 5, errorMB: 20 },
        'html-clipped': { maxKB: 90 },
        'list-unsubscribe': { bulk: true },
      },
    });
    const settings = lintSettingsOf(config);
    expect(settings.grades).toEqual({ 'spam-phrases': 'off', 'no-text-part': 'error', 'too-many-links': 'info' });
    expect(settings.thresholds).toEqual({
      ...DEFAULT_THRESHOLDS,
      maxLinks: 40,
      maxLinkDomains: 12,
      sizeWarningBytes: 5 * 1024 * 1024,
      sizeErrorBytes: 20 * 1024 * 1024,
      htmlClipBytes: 90 * 1024,
      bulk: true,
    });
  });

  it('a later layer replaces a rule setting, other rules stay', () => {
    const first = apply({ rules: { 'spam-phrases': 'off', headers: 'warning' } });
    const second = applyLintConfig(first, { rules: { 'spam-phrases': 'info' } }, fail, unknown);
    expect(second.rules).toEqual({ 'spam-phrases': 'info', headers: 'warning' });
  });

  it('rejects what it does not know, naming the key', () => {
    expect(() => apply([])).toThrow(/^lint must be an object/);
    expect(() => apply({ rule: {} })).toThrow('unknown key lint.rule');
    expect(() => apply({ rules: 'off' })).toThrow(/^lint.rules must be an object/);
    expect(() => apply({ rules: { 'no-such-rule': 'off' } })).toThrow('unknown key lint.rules.no-such-rule');
    expect(() => apply({ rules: { headers: 'fatal' } })).toThrow(/^lint.rules.headers must be "off", "error", "warning", "info"/);
    expect(() => apply({ rules: { headers: { maxLinks: 3 } } })).toThrow('unknown key lint.rules.headers.maxLinks');
    expect(() => apply({ rules: { 'too-many-links': { maxLinks: 2.5 } } })).toThrow(/maxLinks must be a whole number >= 1, got 2.5/);
    expect(() => apply({ rules: { 'body-caps': { maxShare: 2 } } })).toThrow(/maxShare must be a share between 0 and 1/);
    expect(() => apply({ rules: { 'list-unsubscribe': { bulk: 'yes' } } })).toThrow(/bulk must be true or false/);
    expect(() => apply({ rules: { 'size-limit': { severity: 'loud' } } })).toThrow(/severity must be/);
  });
});
