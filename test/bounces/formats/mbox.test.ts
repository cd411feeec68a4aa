import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { classifyBounce } from '../../../src/bounces/classify/index.js';
import { mboxFormat } from '../../../src/bounces/formats/mbox.js';
import { parseRecords, parseText } from '../../helpers.js';

const fixture = readFileSync(
  path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../fixtures/bounces/mbox/bounces.mbox'),
).toString('latin1');

describe('mbox detection', () => {
  it('recognises a "From " separator followed by message headers', () => {
    expect(mboxFormat.detect(fixture, 'bounces.mbox')).toBeGreaterThanOrEqual(0.9);
  });

  it('does not take a message or a log for a mailbox', () => {
    expect(mboxFormat.detect('Return-Path: <>\nFrom: a@example.org\n', 'x.eml')).toBe(0);
    expect(mboxFormat.detect('From here on, the log says\nnothing useful\n', 'notes.txt')).toBe(0);
  });
});

describe('mbox parsing', () => {
  it('reads every message and names each record by the line of its separator', async () => {
    const records = await parseRecords(mboxFormat, fixture, { file: 'bounces.mbox' });
    const rows = records.map((record) => [record.source, record.recipient, classifyBounce(record).reason]);
    expect(rows).toEqual([
      ['bounces.mbox:1#1', 'ann@example.org', 'userunknown'],
      ['bounces.mbox:1#2', 'bob@example.net', 'mailboxfull'],
      ['bounces.mbox:75#1', 'carol@example.org', 'userunknown'],
      ['bounces.mbox:75#2', 'dave@example.net', 'hostunknown'],
      ['bounces.mbox:108#1', 'frank@example.org', 'vacation'],
    ]);
  });

  it('does not split a message at a quoted ">From " body line', async () => {
    const items = await parseText(mboxFormat, fixture);
    expect(items.filter((item) => item.kind !== 'record')).toEqual([]);
  });

  it('accepts CRLF mailboxes', async () => {
    const records = await parseRecords(mboxFormat, fixture.replace(/\n/g, '\r\n'), { file: 'm' });
    expect(records).toHaveLength(5);
  });

  it('reports text before the first separator once, and still reads the messages', async () => {
    const items = await parseText(mboxFormat, `garbage line\nmore garbage\n\n${fixture}`);
    expect(items.filter((item) => item.kind === 'malformed')).toEqual([
      { kind: 'malformed', line: 1, message: 'text before the first "From " line of the mailbox' },
    ]);
    expect(items.filter((item) => item.kind === 'record')).toHaveLength(5);
  });

  it('skips a message that is not a bounce', async () => {
    const text =
      'From someone@example.net Thu Aug  7 09:00:00 2025\nFrom: someone@example.net\nTo: news@example.com\nSubject: Lunch\n\nHi!\n';
    expect(await parseText(mboxFormat, text)).toEqual([{ kind: 'skipped', line: 1 }]);
  });
});
