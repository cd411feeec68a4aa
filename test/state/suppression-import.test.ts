import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { HygieneError } from '../../src/errors.js';
import { exportDate, looksLikeAddress, parseSuppressionExport } from '../../src/state/suppression-import.js';

const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/suppressions');

function parseFixture(name: string) {
  return parseSuppressionExport(readFileSync(path.join(FIXTURES, name), 'utf8'), name);
}

function importError(text: string, fileName: string): HygieneError {
  try {
    parseSuppressionExport(text, fileName);
  } catch (error) {
    expect(error).toBeInstanceOf(HygieneError);
    return error as HygieneError;
  }
  throw new Error('expected a HygieneError');
}

describe('parseSuppressionExport: Amazon SES', () => {
  it('reads `aws sesv2 list-suppressed-destinations` JSON', () => {
    const result = parseFixture('ses-suppressed-destinations.json');
    expect(result.provider).toBe('ses');
    expect(result.entries).toEqual([
      {
        address: 'nora.vance@example.com',
        reason: 'hard-bounce',
        note: null,
        origin: 'import:ses ses-suppressed-destinations.json#1',
        at: '2026-03-14T16:31:42.123Z',
      },
      {
        address: 'reports.desk@example.org',
        reason: 'complaint',
        note: null,
        origin: 'import:ses ses-suppressed-destinations.json#2',
        at: '2026-04-02T06:05:00.000Z',
      },
      {
        address: 'old-box@example.net',
        reason: 'hard-bounce',
        note: null,
        origin: 'import:ses ses-suppressed-destinations.json#3',
        at: '2025-12-30T23:59:59.000Z',
      },
    ]);
  });

  it('reads the CSV export, with line numbers in the origin', () => {
    const result = parseFixture('ses-suppressed-destinations.csv');
    expect(result.provider).toBe('ses');
    expect(result.entries.map((entry) => [entry.address, entry.reason, entry.origin])).toEqual([
      ['nora.vance@example.com', 'hard-bounce', 'import:ses ses-suppressed-destinations.csv:2'],
      ['reports.desk@example.org', 'complaint', 'import:ses ses-suppressed-destinations.csv:3'],
    ]);
  });

  it('reads the lower-case variant email,reason', () => {
    const result = parseSuppressionExport('email,reason\nzed@example.com,COMPLAINT\n', 'suppressed.csv');
    expect(result).toMatchObject({ provider: 'ses', entries: [{ address: 'zed@example.com', reason: 'complaint', at: null }] });
  });
});

describe('parseSuppressionExport: SendGrid', () => {
  it('reads a bounces export, keeping the reason as note and reading both date styles', () => {
    const result = parseFixture('sendgrid-bounces.csv');
    expect(result.provider).toBe('sendgrid');
    expect(result.entries).toEqual([
      {
        address: 'pat.quill@example.com',
        reason: 'hard-bounce',
        note: '5.1.1 550 5.1.1 The email account that you tried to reach does not exist.',
        origin: 'import:sendgrid sendgrid-bounces.csv:2',
        at: '2026-02-10T09:15:00.000Z',
      },
      {
        address: 'lou.hart@example.net',
        reason: 'hard-bounce',
        note: '5.0.0 550 Requested action not taken: mailbox unavailable',
        origin: 'import:sendgrid sendgrid-bounces.csv:3',
        at: '2026-02-11T08:53:20.000Z',
      },
    ]);
  });

  it('reads spam reports (created,email,ip) as complaints and unsubscribes as unsubscribes', () => {
    expect(parseFixture('sendgrid-spam_reports.csv')).toMatchObject({
      provider: 'sendgrid',
      entries: [{ address: 'angry.reader@example.org', reason: 'complaint', at: '2026-02-11T17:40:12.000Z' }],
    });
    expect(parseFixture('sendgrid-global_unsubscribes.csv')).toMatchObject({
      provider: 'sendgrid',
      entries: [{ address: 'leave.me@example.net', reason: 'unsubscribe' }],
    });
  });

  it('tells spam reports from bounces by columns when the file name says nothing', () => {
    const result = parseSuppressionExport('created,email,ip\n1770800000,x@example.org,192.0.2.1\n', 'export.csv');
    expect(result.entries[0]!.reason).toBe('complaint');
    expect(
      parseSuppressionExport(
        'created,email,reason\n1770800000,y@example.org,Mail domain mentioned in email address is unknown\n',
        'export.csv',
      ).entries[0]!.reason,
    ).toBe('invalid');
  });

  it('does not suppress blocks: they refuse the sender, not the address', () => {
    const result = parseFixture('sendgrid-blocks.csv');
    expect(result.provider).toBe('sendgrid');
    expect(result.entries).toEqual([]);
    expect(result.skipped).toEqual([
      { location: 'sendgrid-blocks.csv:2', address: 'someone@example.com', why: expect.stringContaining('refuse the sender') },
    ]);
  });

  it('reads the API JSON too', () => {
    const json = JSON.stringify([{ created: 1770800000, email: 'api@example.com', reason: '550 5.1.1 unknown', status: '5.1.1' }]);
    expect(parseSuppressionExport(json, 'bounces.json')).toMatchObject({
      provider: 'sendgrid',
      entries: [
        { address: 'api@example.com', reason: 'hard-bounce', origin: 'import:sendgrid bounces.json#1', at: '2026-02-11T08:53:20.000Z' },
      ],
    });
  });
});

describe('parseSuppressionExport: Mailgun', () => {
  it('reads bounces, complaints and unsubscribes', () => {
    const bounces = parseFixture('mailgun-bounces.csv');
    expect(bounces.provider).toBe('mailgun');
    expect(bounces.entries[0]).toEqual({
      address: 'kim.ortega@example.com',
      reason: 'hard-bounce',
      note: '550 5.1.1 The email account that you tried to reach does not exist',
      origin: 'import:mailgun mailgun-bounces.csv:2',
      at: '2026-03-05T10:11:12.000Z',
    });
    expect(bounces.entries).toHaveLength(2);
    expect(parseFixture('mailgun-complaints.csv')).toMatchObject({
      provider: 'mailgun',
      entries: [{ address: 'grumpy@example.org', reason: 'complaint', at: '2026-03-06T08:00:00.000Z' }],
    });
    expect(parseFixture('mailgun-unsubscribes.csv')).toMatchObject({
      provider: 'mailgun',
      entries: [{ address: 'done.now@example.net', reason: 'unsubscribe' }],
    });
  });
});

describe('parseSuppressionExport: Postmark', () => {
  it('reads the suppressions CSV', () => {
    const result = parseFixture('postmark-suppressions.csv');
    expect(result.provider).toBe('postmark');
    expect(result.entries.map((entry) => [entry.address, entry.reason, entry.note, entry.at])).toEqual([
      ['ivy.lund@example.com', 'hard-bounce', 'origin Recipient', '2026-01-05T16:33:54.907Z'],
      ['spam.flag@example.org', 'complaint', 'origin Recipient', '2026-01-06T10:00:00.000Z'],
      ['asked.out@example.net', 'manual', 'origin Customer', '2026-01-07T11:00:00.000Z'],
    ]);
  });

  it('reads the API JSON', () => {
    const result = parseFixture('postmark-suppressions.json');
    expect(result.provider).toBe('postmark');
    expect(result.entries.map((entry) => [entry.address, entry.reason, entry.at, entry.origin])).toEqual([
      ['ivy.lund@example.com', 'hard-bounce', '2026-01-05T21:33:54.000Z', 'import:postmark postmark-suppressions.json#1'],
      ['asked.out@example.net', 'manual', '2026-01-07T16:00:00.000Z', 'import:postmark postmark-suppressions.json#2'],
    ]);
  });
});

describe('parseSuppressionExport: SparkPost', () => {
  it('reads the suppression list CSV: its source says why (a bounce rule, a complaint, an unsubscribe, by hand)', () => {
    const result = parseFixture('sparkpost-suppression-list.csv');
    expect(result.provider).toBe('sparkpost');
    expect(result.entries.map((entry) => [entry.address, entry.reason, entry.at])).toEqual([
      ['ivy.lund@example.com', 'hard-bounce', '2026-01-05T16:33:54.000Z'],
      ['spam.flag@example.org', 'complaint', '2026-01-06T10:00:00.000Z'],
      ['asked.out@example.net', 'manual', '2026-01-07T11:00:00.000Z'],
      ['done.now@example.net', 'unsubscribe', '2026-01-08T12:00:00.000Z'],
    ]);
  });

  it('reads the API JSON (results) to the same entries', () => {
    const result = parseFixture('sparkpost-suppression-list.json');
    expect(result.provider).toBe('sparkpost');
    expect(result.entries.map((entry) => [entry.address, entry.reason, entry.at, entry.origin])).toEqual([
      ['ivy.lund@example.com', 'hard-bounce', '2026-01-05T16:33:54.000Z', 'import:sparkpost sparkpost-suppression-list.json#1'],
      ['spam.flag@example.org', 'complaint', '2026-01-06T10:00:00.000Z', 'import:sparkpost sparkpost-suppression-list.json#2'],
    ]);
  });
});

describe('parseSuppressionExport: Mandrill', () => {
  it('reads the rejection list (rejects/list JSON, or its CSV), not as a SendGrid list of invalid addresses', () => {
    const json = JSON.stringify([
      {
        email: 'ann@example.org',
        reason: 'hard-bounce',
        detail: ' smtp;550 5.1.1 unknown',
        created_at: '2026-01-05 08:11:02',
        last_event_at: '2026-01-05 08:11:02',
        expires_at: '2026-02-04 08:11:02',
        expired: false,
      },
      {
        email: 'bo@example.org',
        reason: 'spam',
        detail: '',
        created_at: '2026-01-06 09:00:00',
        last_event_at: '2026-01-06 09:00:00',
        expires_at: null,
        expired: false,
      },
      {
        email: 'cy@example.org',
        reason: 'unsub',
        detail: '',
        created_at: '2026-01-07 09:00:00',
        last_event_at: '2026-01-07 09:00:00',
        expires_at: null,
        expired: false,
      },
    ]);
    const result = parseSuppressionExport(json, 'rejects.json');
    expect(result.provider).toBe('mandrill');
    expect(result.entries.map((entry) => [entry.address, entry.reason, entry.at])).toEqual([
      ['ann@example.org', 'hard-bounce', '2026-01-05T08:11:02.000Z'],
      ['bo@example.org', 'complaint', '2026-01-06T09:00:00.000Z'],
      ['cy@example.org', 'unsubscribe', '2026-01-07T09:00:00.000Z'],
    ]);
    const csv =
      'email,reason,detail,created_at,last_event_at,expires_at,expired\ndi@example.org,custom,,2026-01-08 10:00:00,2026-01-08 10:00:00,,false\n';
    expect(parseSuppressionExport(csv, 'rejects.csv').entries).toMatchObject([{ address: 'di@example.org', reason: 'manual' }]);
  });
});

describe('parseSuppressionExport: other exports with a reason column', () => {
  it('reads an email and a "Suppression Reason" column (Klaviyo, CRMs), the reason words mapped', () => {
    const text = [
      'Email,First Name,Suppression Reason,Suppressed Date',
      'ann@example.org,Ann,Hard Bounce,2026-01-05',
      'bo@example.org,Bo,Spam Complaint,2026-01-06',
      'cy@example.org,Cy,Unsubscribed,2026-01-07',
      'di@example.org,Di,Manually Suppressed,2026-01-08',
      'ed@example.org,Ed,Invalid Email,2026-01-09',
      'fi@example.org,Fi,Something else,',
    ].join('\n');
    const result = parseSuppressionExport(text, 'suppressed_profiles.csv');
    expect(result.provider).toBe('reasoned');
    expect(result.entries.map((entry) => [entry.address, entry.reason, entry.note, entry.at])).toEqual([
      ['ann@example.org', 'hard-bounce', 'Hard Bounce', '2026-01-05T00:00:00.000Z'],
      ['bo@example.org', 'complaint', 'Spam Complaint', '2026-01-06T00:00:00.000Z'],
      ['cy@example.org', 'unsubscribe', 'Unsubscribed', '2026-01-07T00:00:00.000Z'],
      ['di@example.org', 'manual', 'Manually Suppressed', '2026-01-08T00:00:00.000Z'],
      ['ed@example.org', 'invalid', 'Invalid Email', '2026-01-09T00:00:00.000Z'],
      ['fi@example.org', 'other', 'Something else', null],
    ]);
  });
});

describe('parseSuppressionExport: plain lists', () => {
  it('reads one address a line, skipping comments, blank lines and a header', () => {
    const result = parseFixture('plain-list.txt');
    expect(result.provider).toBe('plain');
    expect(result.entries).toEqual([
      { address: 'do.not.mail@example.com', reason: 'manual', note: null, origin: 'import:plain plain-list.txt:3', at: null },
      { address: 'former.client@example.org', reason: 'manual', note: null, origin: 'import:plain plain-list.txt:4', at: null },
      { address: 'ops+alerts@example.net', reason: 'manual', note: null, origin: 'import:plain plain-list.txt:6', at: null },
    ]);
  });

  it('keeps a # that is part of the address', () => {
    expect(parseSuppressionExport('odd#box@example.com\n', 'list.txt').entries[0]!.address).toBe('odd#box@example.com');
  });

  it('reads an empty file as no entries', () => {
    expect(parseSuppressionExport('# nothing yet\n\n', 'list.txt')).toEqual({ provider: 'plain', entries: [], skipped: [], bad: [] });
  });
});

describe('parseSuppressionExport: bad input', () => {
  it('names file and line of a row without a valid-looking address', () => {
    const error = importError('ok@example.com\nnot-an-address\n', 'list.txt');
    expect(error.code).toBe('SUPPRESSION_INVALID');
    expect(error.exitCode).toBe(2);
    expect(error.message).toBe('list.txt:2: not an email address: "not-an-address"');
    expect(error.line).toBe(2);
    const csv = importError('email,created,reason,status\nok@example.com,1,x,5.1.1\n,2,y,5.1.1\n', 'bounces.csv');
    expect(csv.message).toBe('bounces.csv:3: not an email address: no address');
    const json = importError('{"SuppressedDestinationSummaries":[{"EmailAddress":"a b@example.com","Reason":"BOUNCE"}]}', 'ses.json');
    expect(json.message).toBe('ses.json#1: not an email address: "a b@example.com"');
  });

  it('refuses unknown columns and unknown JSON, listing what is supported', () => {
    const columns = importError('name,phone\nAnn,123\n', 'contacts.csv');
    expect(columns.message).toBe('contacts.csv:1: unknown export columns (name, phone)');
    expect(columns.hint).toContain('Postmark');
    expect(importError('{"foo": []}', 'x.json').message).toBe('x.json: JSON of an unknown shape');
    expect(importError('{"foo": ', 'x.json').code).toBe('SUPPRESSION_INVALID');
  });
});

describe('looksLikeAddress', () => {
  it.each([
    ['ann@example.com', true],
    ['a.b+tag@sub.example.co.uk', true],
    ['ann@localhost', false],
    ['ann@@example.com', false],
    ['@example.com', false],
    ['ann@example..com', false],
    ['ann@.example.com', false],
    ['Ann <ann@example.com>', false],
    ['ann@example.com;bob@example.com', false],
    [`${'a'.repeat(65)}@example.com`, false],
  ])('%s -> %s', (text, expected) => {
    expect(looksLikeAddress(text)).toBe(expected);
  });
});

describe('exportDate', () => {
  it.each([
    ['2026-02-10 09:15:00', '2026-02-10T09:15:00.000Z'],
    ['2026-02-10', '2026-02-10T00:00:00.000Z'],
    ['1770800000', '2026-02-11T08:53:20.000Z'],
    [1770800000123, '2026-02-11T08:53:20.123Z'],
    ['Thu, 05 Mar 2026 10:11:12 UTC', '2026-03-05T10:11:12.000Z'],
    ['2026-03-14T16:31:42.123000+00:00', '2026-03-14T16:31:42.123Z'],
    ['14/11/2026 09:05', '2026-11-14T09:05:00.000Z'],
    ['31/02/2026', null],
    ['someday', null],
    ['', null],
    [undefined, null],
  ])('%j -> %s', (value, expected) => {
    expect(exportDate(value)).toBe(expected);
  });
});
