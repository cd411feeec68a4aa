/** The configuration as `config --print` and `config --json` show it. */
import { CHECK_KEYS, TOP_KEYS, type ConfigSource, type EffectiveConfig, type HygieneConfig } from './schema.js';

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
    lint: { rules: { ...config.lint.rules } },
  };
}

/**
 * The configuration as pretty JSON, each value followed by a `// default|file|flag` comment
 * (for `config --print`; `JSON.stringify(configValues(config))` gives plain JSON).
 */
export function formatConfig(config: EffectiveConfig): string {
  const values = configValues(config);
  const rows: Array<{ text: string; source?: ConfigSource }> = [{ text: '{' }];
  for (const key of TOP_KEYS) {
    rows.push({ text: `  ${JSON.stringify(key)}: ${JSON.stringify(values[key])},`, source: config.sources[key] });
  }
  rows.push({ text: '  "check": {' });
  CHECK_KEYS.forEach((key, index) => {
    const comma = index === CHECK_KEYS.length - 1 ? '' : ',';
    rows.push({
      text: `    ${JSON.stringify(key)}: ${JSON.stringify(values.check[key])}${comma}`,
      source: config.sources[`check.${key}`],
    });
  });
  rows.push(
    { text: '  },' },
    { text: `  "lint": {"rules": ${JSON.stringify(values.lint.rules)}}`, source: config.sources['lint.rules'] },
    { text: '}' },
  );
  const width = Math.max(...rows.map((row) => row.text.length));
  const origin = config.file === null ? 'no config file, defaults' : `file ${config.file}`;
  return [
    `// hygiene configuration (${origin}); each value says where it came from: default, file or flag`,
    ...rows.map((row) => (row.source === undefined ? row.text : `${row.text.padEnd(width)}  // ${row.source}`)),
  ].join('\n');
}
