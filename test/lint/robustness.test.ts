import fc from 'fast-check';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readEml, UnreadableMessageError } from '../../src/lint/message.js';
import { defaultLintSettings } from '../../src/lint/settings.js';
import { lintMessage } from '../../src/pipeline/lint-run.js';
import { analyzeHtml } from '../../src/lint/html.js';

const FIXTURES = path.resolve(__dirname, '../../fixtures/lint');
const samples = readdirSync(FIXTURES)
  .filter((name) => name.endsWith('.eml') && name !== 'size-limit.eml')
  .map((name) => readFileSync(path.join(FIXTURES, name)));

/** Lints bytes: a finding list, or "unreadable"; anything else thrown is a bug. */
async function lintBytes(bytes: Buffer): Promise<string> {
  try {
    const message = await readEml(bytes, 'x.eml');
    const result = await lintMessage(message, { settings: defaultLintSettings(), bulk: false, environment: { resolver: null } });
    return `findings:${result.findings.length}`;
  } catch (error) {
    if (error instanceof UnreadableMessageError) return 'unreadable';
    throw error;
  }
}

describe('lint never fails on damaged input', () => {
  it('truncated, spliced and byte-flipped fixtures are linted or called unreadable', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.nat(samples.length - 1),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.uint8Array({ maxLength: 64 }),
        fc.nat(),
        async (which, cut, noise, at) => {
          const sample = samples[which]!;
          const keep = sample.subarray(0, Math.floor(sample.length * cut));
          const position = keep.length === 0 ? 0 : at % keep.length;
          const bytes = Buffer.concat([keep.subarray(0, position), Buffer.from(noise), keep.subarray(position)]);
          expect(await lintBytes(bytes)).toMatch(/^(findings:\d+|unreadable)$/);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('deeply nested and unclosed HTML is walked in linear time', () => {
    const deep = `${'<div><span>'.repeat(20_000)}text${'</span>'.repeat(10)}`;
    const started = Date.now();
    const analysis = analyzeHtml(deep);
    expect(analysis.visibleText.text.trim()).toBe('text');
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
