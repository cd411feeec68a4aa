import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, configValues, formatConfig, loadConfig, type ConfigOverrides } from '../../src/config/config.js';
import { HygieneError } from '../../src/errors.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

function workdir(config?: unknown): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'hygiene-'));
  if (config !== undefined) {
    writeFileSync(path.join(dir, 'hygiene.config.json'), typeof config === 'string' ? config : JSON.stringify(config, null, 2));
  }
  return dir;
}

function configError(action: () => unknown): HygieneError {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(HygieneError);
    return error as HygieneError;
  }
  throw new Error('expected a HygieneError');
}

describe('loadConfig: defaults, file, flags', () => {
  it('uses the defaults when there is no config file', () => {
    const config = loadConfig({ cwd: workdir() });
    expect(configValues(config)).toEqual(DEFAULT_CONFIG);
    expect(config.policy).toEqual({ softLimit: 4, softWindowMs: 30 * DAY, retryDelayMs: 24 * HOUR });
    expect(config.file).toBeNull();
    expect(new Set(Object.values(config.sources))).toEqual(new Set(['default']));
    expect(config.check.maxRetryLater).toBe('5%');
    expect(config.check.maxRole).toBeNull();
  });

  it('reads hygiene.config.json from the working directory', () => {
    const cwd = workdir({ softLimit: 3, retryDelay: 36, softWindow: '2w', check: { maxInvalid: '1%', warnOnly: ['role'] } });
    const config = loadConfig({ cwd });
    expect(config.softLimit).toBe(3);
    expect(config.policy).toEqual({ softLimit: 3, softWindowMs: 14 * DAY, retryDelayMs: 36 * HOUR });
    expect(config.check.maxInvalid).toBe('1%');
    expect(config.check.maxTypo).toBe(0);
    expect(config.check.warnOnly).toEqual(['role']);
    expect(config.file).toBe(path.join(cwd, 'hygiene.config.json'));
    expect(config.sources).toMatchObject({ softLimit: 'file', retryDelay: 'file', 'check.maxInvalid': 'file', 'check.maxTypo': 'default' });
  });

  it('lets flags win over the file, accepting numbers written as text', () => {
    const cwd = workdir({ softLimit: 3, retryDelay: '12h' });
    const overrides: ConfigOverrides = {
      softLimit: '6',
      blockShareWarning: '35%',
      check: { maxRetryLater: '10', warnOnly: 'role, typo' },
      softWindow: undefined,
    };
    const config = loadConfig({ cwd, overrides });
    expect(config.softLimit).toBe(6);
    expect(config.blockShareWarning).toBeCloseTo(0.35);
    expect(config.check.maxRetryLater).toBe(10);
    expect(config.check.warnOnly).toEqual(['role', 'typo']);
    expect(config.policy.retryDelayMs).toBe(12 * HOUR);
    expect(config.sources).toMatchObject({ softLimit: 'flag', retryDelay: 'file', softWindow: 'default', 'check.maxRetryLater': 'flag' });
  });

  it('reads the file given with --config, relative to the working directory', () => {
    const cwd = workdir();
    writeFileSync(path.join(cwd, 'ci.json'), JSON.stringify({ check: { maxRole: 10 } }));
    expect(loadConfig({ cwd, path: 'ci.json' }).check.maxRole).toBe(10);
  });

  it('refuses a --config file that does not exist', () => {
    const error = configError(() => loadConfig({ cwd: workdir(), path: 'missing.json' }));
    expect(error.code).toBe('CONFIG_NOT_FOUND');
    expect(error.exitCode).toBe(2);
    expect(error.message).toBe('missing.json: config file not found');
  });
});

describe('loadConfig: validation', () => {
  it('names the file, the key and the value', () => {
    const error = configError(() => loadConfig({ cwd: workdir({ softLimit: 'four' }) }));
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.exitCode).toBe(2);
    expect(error.message).toBe('hygiene.config.json: softLimit must be a whole number >= 1, got "four"');
    expect(error.hint).toBeTruthy();
    expect(error.file).toBe('hygiene.config.json');
  });

  it.each([
    [{ softLimit: 0 }, 'softLimit must be a whole number >= 1, got 0'],
    [{ softLimit: 2.5 }, 'softLimit must be a whole number >= 1, got 2.5'],
    [{ softLimit: '4' }, 'softLimit must be a whole number >= 1, got "4"'],
    [
      { retryDelay: 'tomorrow' },
      'retryDelay must be a duration like "24h", "2d", "90m" or "1w" (a bare number means hours), got "tomorrow"',
    ],
    [{ retryDelay: -5 }, 'retryDelay must be a duration'],
    [{ softWindow: '0d' }, 'softWindow must be a duration longer than zero'],
    [{ blockShareWarning: 20 }, 'blockShareWarning must be a share between 0 and 1 (0.2) or a percentage ("20%"), got 20'],
    [{ blockShareWarning: '120%' }, 'blockShareWarning must be a share'],
    [{ check: { maxInvalid: -1 } }, 'check.maxInvalid must be a whole number >= 0 or a percentage from "0%" to "100%", got -1'],
    [{ check: { maxTypo: '150%' } }, 'check.maxTypo must be a whole number >= 0 or a percentage'],
    [{ check: { maxDuplicates: 'some' } }, 'check.maxDuplicates must be'],
    [{ check: { maxSuppressed: null } }, 'check.maxSuppressed must be'],
    [
      { check: { warnOnly: ['roles'] } },
      'check.warnOnly must be a list of rule names (invalid, typo, disposable, suppressed, complaint, duplicates, retry-later, role, no-address, dead-domain, dns, sender), got ["roles"]',
    ],
    [{ check: { warnOnly: 'role' } }, 'check.warnOnly must be a list of rule names'],
    [{ check: [] }, 'check must be an object'],
    [[1, 2], '(top level) must be an object'],
  ])('%j', (config, message) => {
    const error = configError(() => loadConfig({ cwd: workdir(config) }));
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.message).toContain(`hygiene.config.json: ${message}`);
  });

  it('accepts null for maxRole (no limit) and percentages for every threshold', () => {
    const config = loadConfig({ cwd: workdir({ check: { maxRole: null, maxInvalid: '0.5%', maxComplaint: '100%' } }) });
    expect(config.check).toMatchObject({ maxRole: null, maxInvalid: '0.5%', maxComplaint: '100%' });
  });

  it('refuses unknown keys, suggesting the one that was meant', () => {
    const error = configError(() => loadConfig({ cwd: workdir({ soft_limit: 4 }) }));
    expect(error.message).toBe('hygiene.config.json: unknown key "soft_limit"');
    expect(error.hint).toContain('Did you mean "softLimit"?');
    const nested = configError(() => loadConfig({ cwd: workdir({ check: { maxInvalids: 0 } }) }));
    expect(nested.message).toBe('hygiene.config.json: unknown key "check.maxInvalids"');
    expect(nested.hint).toContain('maxInvalid');
  });

  it('does not mistake inherited object properties for keys', () => {
    expect(configError(() => loadConfig({ cwd: workdir('{"toString": 1}') })).message).toContain('unknown key "toString"');
  });

  it('names line and column of invalid JSON', () => {
    const trailingComma = configError(() => loadConfig({ cwd: workdir('{\n  "softLimit": 4,\n}\n') }));
    expect(trailingComma.code).toBe('CONFIG_INVALID');
    expect(trailingComma.message).toMatch(/^hygiene\.config\.json:3:1: invalid JSON/);
    expect(trailingComma.line).toBe(3);
    const badLiteral = configError(() => loadConfig({ cwd: workdir('{\n  "softLimit": tru\n}') }));
    expect(badLiteral.message).toMatch(/^hygiene\.config\.json:2:16: invalid JSON/);
    const truncated = configError(() => loadConfig({ cwd: workdir('{"check": {"maxInvalid": 0}') }));
    expect(truncated.message).toMatch(/^hygiene\.config\.json:1:28: invalid JSON \(Expected .,. or .}. after property value\)$/);
  });

  it('validates flags too, naming the command line', () => {
    const error = configError(() => loadConfig({ cwd: workdir(), overrides: { softLimit: 'many' } }));
    expect(error.message).toBe('command line: softLimit must be a whole number >= 1, got "many"');
  });
});

describe('formatConfig', () => {
  it('prints the values with where each came from', () => {
    const cwd = workdir({ softLimit: 5 });
    const text = formatConfig(loadConfig({ cwd, overrides: { retryDelay: '2d' } }));
    expect(text.split('\n')[0]).toContain(path.join(cwd, 'hygiene.config.json'));
    expect(text).toMatch(/"softLimit": 5, +\/\/ file/);
    expect(text).toMatch(/"retryDelay": "2d", +\/\/ flag/);
    expect(text).toMatch(/"softWindow": "30d", +\/\/ default/);
    expect(text).toMatch(/"maxRole": null, +\/\/ default/);
    expect(text).toMatch(/"warnOnly": \[\] +\/\/ default/);
    // Without the comments it is the config file a person would write.
    const json = text
      .split('\n')
      .filter((line) => !line.startsWith('//'))
      .map((line) => line.replace(/\s+\/\/ \w+$/, ''))
      .join('\n');
    expect(JSON.parse(json)).toEqual({ ...DEFAULT_CONFIG, softLimit: 5, retryDelay: '2d' });
  });
});
