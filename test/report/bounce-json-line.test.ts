import { describe, expect, it } from 'vitest';
import type { BounceRecord } from '../../src/bounces/types.js';
import { BOUNCE_FIELDS, toJsonLine } from '../../src/report/bounce-output.js';
import { randomText, seededRandom } from '../helpers.js';

function record(diagnostic: string | null, recipient = 'ann@example.org'): BounceRecord {
  return {
    recipient,
    finalRecipient: null,
    class: 'hard',
    reason: 'userunknown',
    action: 'failed',
    status: '5.1.1',
    smtpCode: '550',
    diagnostic,
    remoteMta: 'mx.example.org',
    at: '2025-03-01T10:00:00.000Z',
    queueId: null,
    format: 'postfix',
    source: 'mail.log:7',
    messageKey: null,
  };
}

/** What the JSONL contract says a line is: JSON.stringify of the fields in contract order. */
function stringified(value: BounceRecord): string {
  const fields: Record<string, unknown> = {};
  for (const field of BOUNCE_FIELDS) fields[field] = value[field] ?? null;
  return `${JSON.stringify(fields)}\n`;
}

describe('toJsonLine', () => {
  it('writes the fields in contract order, missing ones as null', () => {
    expect(toJsonLine(record('550 5.1.1 user unknown'))).toBe(stringified(record('550 5.1.1 user unknown')));
    expect(toJsonLine(record(null))).toContain('"diagnostic":null');
  });

  it('escapes exactly as JSON.stringify does, whatever the text holds', () => {
    const random = seededRandom(11);
    // Quotes, backslashes, controls, DEL and line separators (not escaped), a valid surrogate
    // pair, and each half of one alone (escaped as \\udXXX).
    const pieces = [
      'a',
      ' ',
      '"',
      '\\',
      '\n',
      '\t',
      '\u0000',
      '\u001f',
      '\u007f',
      '\u2028',
      'é',
      '😀',
      '\ud83d',
      '\ude00',
      '550 5.1.1',
      '<b@x.org>',
    ];
    for (let round = 0; round < 20_000; round++) {
      const text = randomText(random, pieces, 0, 8);
      const value = record(text, `${text}@example.org`);
      expect(toJsonLine(value)).toBe(stringified(value));
    }
  });
});
