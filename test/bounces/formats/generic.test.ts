import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { genericCsvFormat, genericJsonlFormat } from '../../../src/bounces/formats/generic.js';
import { cleanRecipient, readReply } from '../../../src/bounces/formats/fields/esp-fields.js';
import type { ParsedRecord } from '../../../src/bounces/types.js';
import { parseRecords, parseText } from '../../helpers.js';

const fixture = (name: string): string => readFileSync(new URL(`../../../fixtures/bounces/generic/${name}`, import.meta.url), 'utf8');
const csv = fixture('bounces.csv');
const jsonl = fixture('events.jsonl');

function byRecipient(records: ParsedRecord[]): Map<string, ParsedRecord> {
  return new Map(records.map((record) => [record.recipient, record]));
}

describe('shared field readers', () => {
  it('reads the leading reply code and enhanced code of a remote reply', () => {
    expect(readReply('smtp; 550 5.1.1 <a@example.com>: user unknown')).toEqual({
      smtpCode: '550',
      status: '5.1.1',
      diagnostic: '550 5.1.1 <a@example.com>: user unknown',
    });
    expect(readReply('smtp;550-5.7.1 [203.0.113.5] blocked\n550 5.7.1 more')).toEqual({
      smtpCode: '550',
      status: '5.7.1',
      diagnostic: '550-5.7.1 [203.0.113.5] blocked 550 5.7.1 more',
    });
    expect(readReply('5.1.1 The email account does not exist')).toMatchObject({ smtpCode: null, status: '5.1.1' });
    expect(readReply('X-Postfix; host not found')).toMatchObject({ smtpCode: null, diagnostic: 'host not found' });
    expect(readReply('550 Invalid recipient (#5.1.1)')).toMatchObject({ smtpCode: '550', status: null });
    expect(readReply('   ')).toEqual({ smtpCode: null, status: null, diagnostic: null });
  });

  it('cuts hostile remote text at 4 KiB and stays fast on it', () => {
    const started = Date.now();
    const reply = readReply(`550 ${'5.'.repeat(500_000)}`);
    expect(reply.diagnostic?.length).toBeLessThanOrEqual(4096);
    expect(Date.now() - started).toBeLessThan(500);
  });

  it('cleans recipients as ESPs write them', () => {
    expect(cleanRecipient('  ann@example.com ')).toBe('ann@example.com');
    expect(cleanRecipient('"Ann Lee" <ann@example.com>')).toBe('ann@example.com');
    expect(cleanRecipient('rfc822; ann@example.com')).toBe('ann@example.com');
    expect(cleanRecipient('n/a')).toBeNull();
    expect(cleanRecipient(42)).toBeNull();
  });
});

describe('generic detection', () => {
  it('scores low but not zero on a CSV or JSON with an address and a bounce column', () => {
    expect(genericCsvFormat.detect(csv, 'b.csv')).toBe(0.3);
    expect(genericJsonlFormat.detect(jsonl, 'e.jsonl')).toBe(0.3);
    expect(genericCsvFormat.detect('rcpt\tdsn\na@example.com\t5.1.1\n', 'x.tsv')).toBe(0.3);
    expect(genericJsonlFormat.detect('[{"Email-Address": "a@example.com", "Error Message": "x"', 'x.json')).toBe(0.3);
  });

  it('is zero for a contact list (an address but no bounce column) and across CSV/JSON', () => {
    expect(genericCsvFormat.detect('email,first_name,last_name\na@example.com,Ann,Lee\n', 'c.csv')).toBe(0);
    expect(genericCsvFormat.detect(jsonl, 'e.jsonl')).toBe(0);
    expect(genericJsonlFormat.detect(csv, 'b.csv')).toBe(0);
  });
});

describe('generic CSV', () => {
  it('finds columns by name whatever their case and separators; semicolon delimited', async () => {
    const record = byRecipient(await parseRecords(genericCsvFormat, csv, { file: 'b.csv' })).get('ann.lee@example.com');
    expect(record).toMatchObject({
      action: 'failed',
      status: '5.1.1',
      smtpCode: '550',
      diagnostic: '550 5.1.1 <ann.lee@example.com>: Recipient address rejected: User unknown',
      at: '2024-03-11T08:00:01.000Z',
      messageKey: '<m1.20240311@mail.example.com>',
      remoteMta: 'mx.example.com',
      vendorClass: 'hard',
      source: 'b.csv:2',
    });
  });

  it.each([
    ['ann.lee@example.com', 'hard', 'failed', null, 'hard'],
    ['bo.nguyen@example.org', 'soft', 'failed', null, 'soft'],
    ['cy.olsen@example.net', 'bounce', 'failed', null, null],
    ['dee.park@example.com', 'deferred', 'delayed', null, null],
    ['eli.moreau@example.org', 'delivered', 'delivered', 'delivered', 'delivered'],
    ['fay.ito@example.org', 'complaint', null, 'feedback', 'complaint'],
    ['hal.rossi@example.net', 'blocked', 'failed', null, 'block'],
    ['ivy.chen@example.com', 'auto-reply', null, 'vacation', 'auto-reply'],
  ])('%s: type "%s" -> %s %s %s', async (recipient, _type, action, vendorReason, vendorClass) => {
    const record = byRecipient(await parseRecords(genericCsvFormat, csv)).get(recipient);
    expect(record).toMatchObject({ action, vendorReason, vendorClass });
  });

  it('a quoted multi-line diagnostic is one line of text and later rows keep their numbers', async () => {
    const items = await parseText(genericCsvFormat, csv, { file: 'b.csv' });
    const summary = items.map((item) => (item.kind === 'record' ? item.record.source : `${item.kind}:${item.line}`));
    expect(summary).toEqual([
      'b.csv:2',
      'b.csv:3',
      'b.csv:4',
      'b.csv:7',
      'b.csv:8',
      'b.csv:9',
      'skipped:10',
      'malformed:11',
      'b.csv:12',
      'b.csv:13',
    ]);
    const multiLine = items[2]?.kind === 'record' ? items[2].record : null;
    expect(multiLine?.diagnostic).toMatch(/^550-5\.7\.1 Our system .* this message is 550-5\.7\.1 likely unsolicited/);
  });

  it('reads an epoch timestamp column', async () => {
    const record = byRecipient(await parseRecords(genericCsvFormat, csv)).get('hal.rossi@example.net');
    expect(record?.at).toBe('2024-03-11T08:05:00.000Z');
  });

  it('implies the action from the code when there is no type column', async () => {
    const text = 'address,error\na@example.com,550 5.1.1 no such user\nb@example.com,421 4.7.0 try later\n';
    const records = await parseRecords(genericCsvFormat, text);
    expect(records.map((record) => [record.action, record.smtpCode, record.status])).toEqual([
      ['failed', '550', '5.1.1'],
      ['delayed', '421', '4.7.0'],
    ]);
  });
});

describe('generic JSONL', () => {
  it('reads the same roles from JSON keys, numbers as well as strings', async () => {
    const record = byRecipient(await parseRecords(genericJsonlFormat, jsonl, { file: 'e.jsonl' })).get('ann.lee@example.com');
    expect(record).toMatchObject({
      action: 'failed',
      status: '5.1.1',
      smtpCode: '550',
      diagnostic: '550 5.1.1 <ann.lee@example.com>: user unknown',
      at: '2024-03-11T08:00:00.000Z',
      messageKey: 'm2-0001@mail.example.com',
      vendorClass: 'hard',
      source: 'e.jsonl:1',
    });
  });

  it('combines event and type fields, and reads an outcome written in "status"', async () => {
    const records = byRecipient(await parseRecords(genericJsonlFormat, jsonl));
    expect(records.get('ivy.chen@example.com')).toMatchObject({ action: 'failed', vendorClass: 'soft' });
    expect(records.get('hal.rossi@example.net')).toMatchObject({ action: 'failed', status: null, smtpCode: '550' });
    expect(records.get('fay.ito@example.org')).toMatchObject({ vendorClass: 'complaint', at: '2024-03-11T12:40:00.000Z' });
  });

  it('skips clicks; a broken line and an event without address are malformed; reading continues', async () => {
    const items = await parseText(genericJsonlFormat, jsonl);
    expect(items.filter((item) => item.kind !== 'record').map((item) => [item.kind, item.line])).toEqual([
      ['skipped', 7],
      ['malformed', 10],
      ['malformed', 11],
    ]);
    expect(items.at(-1)).toMatchObject({ kind: 'record', record: { recipient: 'kim.sato@example.net' } });
  });

  it('reads a pretty-printed JSON array as well', async () => {
    const text =
      '[\n  {\n    "recipient": "a@example.com",\n    "bounce_type": "hard"\n  },\n  {"recipient": "b@example.com", "bounce_type": "soft"}\n]';
    const records = await parseRecords(genericJsonlFormat, text, { file: 'x.json' });
    expect(records.map((record) => [record.recipient, record.vendorClass, record.source])).toEqual([
      ['a@example.com', 'hard', 'x.json:2'],
      ['b@example.com', 'soft', 'x.json:6'],
    ]);
  });
});

describe('suppression-list exports', () => {
  it('reads the reason column of a suppression export (Klaviyo-style); unsubscribes are skipped', async () => {
    const text = fixture('suppressions.csv');
    expect(genericCsvFormat.detect(text, 'suppressions.csv')).toBeGreaterThan(0);
    const records = byRecipient(await parseRecords(genericCsvFormat, text));
    expect(records.get('ann.lee@example.com')).toMatchObject({ action: 'failed', vendorClass: 'hard', at: '2024-11-28T00:00:00.000Z' });
    expect(records.get('bo.nguyen@example.org')).toMatchObject({ vendorClass: 'complaint' });
    expect(records.has('cy.olsen@example.net')).toBe(false);
    expect(records.get('dee.park@example.com')).toMatchObject({ vendorReason: 'suppressed', vendorClass: 'hard' });
    expect(records.get('eli.moreau@example.org')).toMatchObject({ vendorReason: 'userunknown', vendorClass: 'hard' });
  });

  it("reads a reason that is only a type word as the type: Postmark's SpamComplaint is a complaint, never a spam block", async () => {
    const text =
      'Email Address,Reason,Origin,Created At\n' +
      'ann@example.com,HardBounce,Recipient,2024-11-01T10:00:00Z\n' +
      'bob@example.org,SpamComplaint,Recipient,2024-11-02T10:00:00Z\n' +
      'cy@example.net,ManualSuppression,Customer,2024-11-03T10:00:00Z\n';
    const records = byRecipient(await parseRecords(genericCsvFormat, text));
    expect(records.get('ann@example.com')).toMatchObject({ action: 'failed', vendorClass: 'hard' });
    expect(records.get('bob@example.org')).toMatchObject({ vendorClass: 'complaint', vendorReason: 'feedback' });
    expect(records.get('cy@example.net')).toMatchObject({ vendorClass: 'hard', vendorReason: 'suppressed' });
  });

  it("reads SparkPost's suppression list by its source column; an unsubscribe is not a delivery result", async () => {
    const text =
      'recipient,type,source,description,created,updated\n' +
      'ann@example.com,non_transactional,Bounce Rule,"550: 550-5.1.1 The email account that you tried to reach does not exist",2024-11-01T10:00:00+00:00,2024-11-01T10:00:00+00:00\n' +
      'bob@example.org,non_transactional,Spam Complaint,Spam complaint,2024-11-02T10:00:00+00:00,2024-11-02T10:00:00+00:00\n' +
      'cy@example.net,transactional,Manually Added,,2024-11-03T10:00:00+00:00,2024-11-03T10:00:00+00:00\n' +
      'di@example.com,non_transactional,List Unsubscribe,,2024-11-04T10:00:00+00:00,2024-11-04T10:00:00+00:00\n';
    const records = byRecipient(await parseRecords(genericCsvFormat, text));
    expect(records.get('ann@example.com')).toMatchObject({ vendorClass: 'hard', vendorReason: 'suppressed' });
    expect(records.get('bob@example.org')).toMatchObject({ vendorClass: 'complaint' });
    expect(records.get('cy@example.net')).toMatchObject({ vendorClass: 'hard', vendorReason: 'suppressed' });
    expect(records.has('di@example.com')).toBe(false);
  });

  it("reads Constant Contact's bounce report: its bounce types and dates", async () => {
    const text =
      'Email Address,First Name,Last Name,Bounce Code,Bounce Type,Bounce Date\n' +
      'ann@example.com,Ann,Lee,,Non-existent address,2024-11-01\n' +
      'bob@example.org,Bob,Ray,,Mailbox Full,2024-11-02\n' +
      'cy@example.net,Cy,Ng,,Vacation/Autoreply,2024-11-03\n' +
      'di@example.com,Di,X,,Undeliverable,2024-11-04\n';
    const records = byRecipient(await parseRecords(genericCsvFormat, text));
    expect(records.get('ann@example.com')).toMatchObject({
      vendorReason: 'userunknown',
      vendorClass: 'hard',
      at: '2024-11-01T00:00:00.000Z',
    });
    expect(records.get('bob@example.org')).toMatchObject({ vendorReason: 'mailboxfull', vendorClass: 'soft' });
    expect(records.get('cy@example.net')).toMatchObject({ autoReply: true });
    expect(records.get('di@example.com')).toMatchObject({ action: 'failed', vendorClass: null });
  });

  it("reads Exchange Online's message trace: each event, its recipient's reply and its time", async () => {
    const text =
      '"date_time_utc","source","event_id","recipient_address","recipient_status","sender_address"\n' +
      '"2026-11-20T10:00:01.123Z","SMTP","FAIL","ann@example.org","550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup","news@ours.example"\n' +
      '"2026-11-20T10:00:02.123Z","SMTP","DELIVER","bob@example.org","250 2.6.0 queued","news@ours.example"\n' +
      '"2026-11-20T10:00:03.123Z","SMTP","DEFER","cy@example.org","451 4.4.0 DNS query failed","news@ours.example"\n' +
      '"2026-11-20T10:00:04.123Z","SMTP","RECEIVE","di@example.org","","news@ours.example"\n';
    const records = byRecipient(await parseRecords(genericCsvFormat, text));
    expect(records.get('ann@example.org')).toMatchObject({ action: 'failed', status: '5.1.10', at: '2026-11-20T10:00:01.123Z' });
    expect(records.get('bob@example.org')).toMatchObject({ action: 'delivered' });
    expect(records.get('cy@example.org')).toMatchObject({ action: 'delayed', status: '4.4.0' });
    expect(records.has('di@example.org')).toBe(false);
  });

  it('reads a row that says nothing of a delivery (no known type, code or reply) as not about delivery, not as a bounce', async () => {
    const items = await parseText(
      genericCsvFormat,
      'email,source,reason\nann@example.org,SMTP,\nbob@example.org,SMTP,550 5.1.1 user unknown\n',
    );
    expect(items.map((item) => item.kind)).toEqual(['skipped', 'record']);
  });

  it('reads the dates of a day-first export in its own order, even a row before the one that shows it', async () => {
    const header = 'Email Address,Bounce Type,Bounce Date\n';
    const dayFirst = byRecipient(
      await parseRecords(
        genericCsvFormat,
        `${header}ann@example.com,Mailbox Full,03/04/2026 10:00\nbob@example.org,Mailbox Full,14/04/2026 09:30\n`,
      ),
    );
    expect(dayFirst.get('ann@example.com')?.at).toBe('2026-04-03T10:00:00.000Z');
    expect(dayFirst.get('bob@example.org')?.at).toBe('2026-04-14T09:30:00.000Z');
    // The same first row in a US export (month first) is 4 March.
    const monthFirst = byRecipient(
      await parseRecords(
        genericCsvFormat,
        `${header}ann@example.com,Mailbox Full,03/04/2026 10:00 AM\nbob@example.org,Mailbox Full,04/14/2026 9:30 PM\n`,
      ),
    );
    expect(monthFirst.get('ann@example.com')?.at).toBe('2026-03-04T10:00:00.000Z');
    expect(monthFirst.get('bob@example.org')?.at).toBe('2026-04-14T21:30:00.000Z');
  });

  it('marks a row wider than its header (an unquoted comma split a field), not one with a trailing delimiter', async () => {
    const records = byRecipient(
      await parseRecords(
        genericCsvFormat,
        'email,reason,date\nann@example.com,550 5.1.1 user unknown, try later,2026-11-02\nbob@example.org,550 5.1.1 user unknown,2026-11-02,\n',
      ),
    );
    expect(records.get('ann@example.com')).toMatchObject({ diagnostic: '550 5.1.1 user unknown', extraFields: 1 });
    expect(records.get('bob@example.org')).not.toHaveProperty('extraFields');
  });

  it('keeps a time it cannot read as written, for the reader to report (the record has no time)', async () => {
    const records = byRecipient(
      await parseRecords(
        genericCsvFormat,
        'email,reason,date\nann@example.com,452 4.2.2 mailbox full,yesterday\nbob@example.org,550 5.1.1 user unknown,\n',
      ),
    );
    expect(records.get('ann@example.com')).toMatchObject({ at: null, unreadTime: 'yesterday' });
    expect(records.get('bob@example.org')?.at).toBeNull();
    expect(records.get('bob@example.org')).not.toHaveProperty('unreadTime');
  });
});
