import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { genericCsvFormat } from '../../../src/bounces/formats/generic.js';
import { mailchimpFormat } from '../../../src/bounces/formats/mailchimp.js';
import { parseRecords, parseText } from '../../helpers.js';

const cleaned = readFileSync(new URL('../../../fixtures/bounces/mailchimp/cleaned.csv', import.meta.url), 'utf8');

describe('mailchimp detection', () => {
  it('recognises the cleaned-contacts export, above the generic CSV reader', () => {
    expect(mailchimpFormat.detect(cleaned, 'cleaned.csv')).toBeGreaterThanOrEqual(0.9);
    expect(mailchimpFormat.detect(cleaned, 'cleaned.csv')).toBeGreaterThan(genericCsvFormat.detect(cleaned, 'c.csv'));
  });

  it('does not claim the subscribed or unsubscribed exports (no CLEAN_ columns)', () => {
    const subscribed = 'Email Address,First Name,MEMBER_RATING,OPTIN_TIME,LAST_CHANGED\nann.lee@example.com,Ann,2,,\n';
    expect(mailchimpFormat.detect(subscribed, 'subscribed.csv')).toBe(0);
  });
});

describe('mailchimp cleaned rows', () => {
  it('every row is a suppression by the ESP: suppressed, hard, failed', async () => {
    const records = await parseRecords(mailchimpFormat, cleaned);
    expect(records).toHaveLength(7);
    for (const record of records) {
      expect(record).toMatchObject({ action: 'failed', vendorReason: 'suppressed', vendorClass: 'hard', status: null });
    }
  });

  it('says where Mailchimp cleaned it, when it did (CLEAN_TIME as UTC), and keys the campaign', async () => {
    const [first, , third] = await parseRecords(mailchimpFormat, cleaned);
    expect(first).toMatchObject({
      recipient: 'ann.lee@example.com',
      diagnostic: 'removed by Mailchimp (cleaned) in campaign "January newsletter"',
      at: '2024-01-09T14:02:11.000Z',
      messageKey: 'a1b2c3d4e5',
    });
    expect(third?.diagnostic).toBe('removed by Mailchimp (cleaned) in campaign "February sale, 20% off"');
  });

  it('a row without campaign still reads as cleaned', async () => {
    const records = await parseRecords(mailchimpFormat, cleaned);
    expect(records.at(-1)).toMatchObject({
      recipient: 'gus.schmidt@example.com',
      diagnostic: 'removed by Mailchimp (cleaned)',
      messageKey: null,
    });
  });

  it('a quoted multi-line NOTES field keeps the line numbers of the rows after it', async () => {
    const records = await parseRecords(mailchimpFormat, cleaned, { file: 'cleaned.csv' });
    expect(records.map((record) => record.source)).toEqual([
      'cleaned.csv:2',
      'cleaned.csv:3',
      'cleaned.csv:4',
      'cleaned.csv:5',
      'cleaned.csv:7',
      'cleaned.csv:8',
      'cleaned.csv:10',
    ]);
  });

  it('a row without an address is malformed, and reading continues', async () => {
    const items = await parseText(mailchimpFormat, cleaned);
    expect(items.filter((item) => item.kind === 'malformed')).toEqual([
      { kind: 'malformed', line: 9, message: 'row without an email address' },
    ]);
  });
});
