import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultLintSettings, LINT_RULE_IDS, lintMessage, readEml, templateMessage } from '../../src/index.js';

const FIXTURES = path.resolve(__dirname, '../../fixtures/lint');
const eml = (name: string) => readEml(readFileSync(path.join(FIXTURES, name)), name);

describe('lint in the library', () => {
  it('lints a message as `hygiene lint` does without a config', async () => {
    const shouting = await lintMessage(await eml('body-caps.eml'));
    expect(shouting.findings.map((finding) => `${finding.rule}:${finding.severity}`)).toContain('body-caps:warning');
    expect((await lintMessage(await eml('good-plain.eml'))).counts).toEqual({ error: 0, warning: 0, info: 0 });
  });

  it('takes settings: a rule switched off finds nothing', async () => {
    const settings = defaultLintSettings();
    settings.grades['body-caps'] = 'off';
    const result = await lintMessage(await eml('body-caps.eml'), { settings });
    expect(result.findings.some((finding) => finding.rule === 'body-caps')).toBe(false);
    expect(LINT_RULE_IDS).toContain('body-caps');
  });

  it('lints a template before it goes to the ESP', async () => {
    const message = await templateMessage({
      htmlFile: 'spring.html',
      html: '<p><img src="https://cdn.example.com/sale.png"></p>',
      textFile: null,
      text: null,
      subject: 'Spring sale',
      from: 'News <news@example.com>',
    });
    const result = await lintMessage(message);
    expect(result.kind).toBe('template');
    expect(result.findings.map((finding) => finding.rule)).toContain('image-only');
  });
});
