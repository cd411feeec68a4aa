/**
 * Loading `hygiene.config.json`: read the file (if any), parse it with line:column errors, apply
 * it and the flags over the defaults. The shape is in schema.ts, the rules in validate.ts, the
 * printing in format.ts; this module re-exports them, so `config/config.js` is the one entry.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { HygieneError } from '../errors.js';
import { parseDuration } from '../policy/duration.js';
import { jsonErrorOffset } from './json-position.js';
import { DEFAULT_CONFIG, DEFAULT_CONFIG_FILE, type ConfigOverrides, type EffectiveConfig, type HygieneConfig } from './schema.js';
import { lintSettingsOf } from './lint.js';
import { applyLayer, defaultSources } from './validate.js';

export * from './schema.js';
export { configValues, formatConfig } from './format.js';

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

  const values: HygieneConfig = {
    ...DEFAULT_CONFIG,
    dnsServers: [],
    check: { ...DEFAULT_CONFIG.check, warnOnly: [] },
    lint: { rules: {} },
  };
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
    lintSettings: lintSettingsOf(values.lint),
    sources,
    file: text === null ? null : absolute,
  };
}

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
