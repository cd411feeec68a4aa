import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { genericCsvFormat, genericJsonlFormat } from '../../../src/bounces/formats/generic.js';
import { sendgridFormat } from '../../../src/bounces/formats/sendgrid.js';
import type { ParsedRecord } from '../../../src/bounces/types.js';
import { parseRecords, parseText } from '../../helpers.js';

const fixture = (name: string): string => readFileSync(new URL(`../../../fixtures/bounces/sendgrid/${name}`, import.meta.url), 'utf8');
const events = fixture('events.json');
const bouncesCsv = fixture('bounces.csv');

async function byRecipient(text: string): Promise<Map<string, ParsedRecord>> {
  const records = await parseRecords(sendgridFormat, text, { file: 'sg.json' });
  return new Map(records.map((record) => [record.recipient, record]));
}

describe('sendgrid detection', () => {
  it('recognises the webhook JSON and the bounce list CSV, above the generic readers', () => {
    expect(sendgridFormat.detect(events, 'e.json')).toBeGreaterThanOrEqual(0.9);
    expect(sendgridFormat.detect(events, 'e.json')).toBeGreaterThan(genericJsonlFormat.detect(events, 'e.json'));
    expect(sendgridFormat.detect(bouncesCsv, 'b.csv')).toBeGreaterThan(genericCsvFormat.detect(bouncesCsv, 'b.csv'));
  });

  it('does not claim a CSV that merely has an email column', () => {
    expect(sendgridFormat.detect('email,first_name,reason\na@example.com,Ann,x\n', 'c.csv')).toBe(0);
  });
});

describe('sendgrid bounce events', () => {
  it.each([
    ['bo.nguyen@example.org', 'Invalid Address', 'userunknown', 'hard'],
    ['dee.park@example.com', 'Technical Failure', 'systemerror', 'soft'],
    ['eli.moreau@example.org', 'Content', 'contenterror', 'block'],
    ['cy.olsen@example.net', 'Reputation', 'badreputation', 'block'],
    ['fay.ito@example.org', 'Frequency or Volume Too High', 'ratelimited', 'block'],
    ['gus.schmidt@example.com', 'Mailbox Unavailable', 'suspend', 'soft'],
    ['hal.rossi@example.net', 'Unclassified', null, null],
  ])('%s: bounce_classification %s -> %s %s', async (recipient, _classification, reason, cls) => {
    const record = (await byRecipient(events)).get(recipient);
    expect(record).toMatchObject({ action: 'failed', vendorReason: reason, vendorClass: cls });
  });

  it('keeps status, the reply code and the remote text of a bounce, and the message id', async () => {
    const record = (await byRecipient(events)).get('bo.nguyen@example.org');
    expect(record).toMatchObject({
      status: '5.1.1',
      smtpCode: '550',
      at: '2024-03-06T09:21:51.000Z',
      messageKey: '14c5d75ce93.dfd.64b403.filter0001.16648.5515E0B88.0',
      source: 'sg.json:27',
    });
    expect(record?.diagnostic).toMatch(/^550 5\.1\.1 The email account that you tried to reach does not exist/);
  });

  it('a blocked bounce without a classification is a block', async () => {
    const event = { email: 'x@example.com', event: 'bounce', type: 'blocked', reason: '554 5.7.1 refused', timestamp: 1 };
    const [record] = await parseRecords(sendgridFormat, JSON.stringify([event]));
    expect(record).toMatchObject({ vendorReason: null, vendorClass: 'block', status: '5.7.1', smtpCode: '554' });
  });
});

describe('sendgrid other events', () => {
  it('deferred is delayed, with the remote text from "response"', async () => {
    const record = (await byRecipient(events)).get('ivy.chen@example.com');
    expect(record).toMatchObject({
      action: 'delayed',
      smtpCode: '451',
      status: '4.7.1',
      diagnostic: '451 4.7.1 Greylisting in action, please come back later',
      vendorClass: null,
    });
  });

  it.each([
    ['jon.berg@example.org', 'Bounced Address', 'hard'],
    ['kim.sato@example.net', 'Unsubscribed Address', 'hard'],
    ['lou.adams@example.com', 'Spam Reporting Address', 'complaint'],
    ['max.ortiz@example.org', 'Invalid', 'hard'],
  ])('%s: dropped "%s" -> suppressed (%s)', async (recipient, reason, cls) => {
    const record = (await byRecipient(events)).get(recipient);
    expect(record).toMatchObject({ action: 'failed', vendorReason: 'suppressed', vendorClass: cls, diagnostic: reason });
  });

  it('a drop for another reason carries no verdict', async () => {
    const event = { email: 'x@example.com', event: 'dropped', reason: 'Invalid SMTPAPI header', timestamp: 1 };
    const [record] = await parseRecords(sendgridFormat, JSON.stringify(event));
    expect(record).toMatchObject({ action: 'failed', vendorReason: null, vendorClass: null });
  });

  it('delivered and spamreport', async () => {
    const records = await byRecipient(events);
    expect(records.get('ann.lee@example.com')).toMatchObject({
      action: 'delivered',
      vendorClass: 'delivered',
      smtpCode: '250',
      status: '2.0.0',
    });
    expect(records.get('ned.kowalski@example.com')).toMatchObject({
      action: null,
      vendorReason: 'feedback',
      vendorClass: 'complaint',
      feedbackType: 'abuse',
    });
  });

  it('skips processed, open, click, unsubscribe and group_unsubscribe', async () => {
    const items = await parseText(sendgridFormat, events);
    expect(items.filter((item) => item.kind === 'skipped').map((item) => item.line)).toEqual([2, 217, 230, 244, 255]);
    expect(items.filter((item) => item.kind === 'record')).toHaveLength(14);
  });

  it('reads the same events as JSONL (one per line) and as several posts, one array a line', async () => {
    const parsed = JSON.parse(events) as unknown[];
    const jsonl = parsed.map((event) => JSON.stringify(event)).join('\n');
    const fromLines = await parseRecords(sendgridFormat, jsonl);
    expect(fromLines).toHaveLength(14);
    expect(fromLines[0]).toMatchObject({ recipient: 'ann.lee@example.com', source: 'input:2' });
    const posts = `${JSON.stringify(parsed.slice(0, 3))}\n${JSON.stringify(parsed.slice(3))}`;
    const fromPosts = await parseRecords(sendgridFormat, posts);
    expect(fromPosts.map((record) => record.source).slice(0, 3)).toEqual(['input#2', 'input#3', 'input#4']);
  });
});

describe('sendgrid bounce list CSV', () => {
  it('reads created,email,reason,status with the line where each row starts', async () => {
    const records = await parseRecords(sendgridFormat, bouncesCsv, { file: 'bounces.csv' });
    expect(records.map((record) => [record.recipient, record.source])).toEqual([
      ['ann.lee@example.com', 'bounces.csv:2'],
      ['bo.nguyen@example.org', 'bounces.csv:3'],
      ['cy.olsen@example.net', 'bounces.csv:6'],
      ['dee.park@example.com', 'bounces.csv:7'],
      ['eli.moreau@example.org', 'bounces.csv:8'],
      ['fay.ito@example.org', 'bounces.csv:9'],
      ['gus.schmidt@example.com', 'bounces.csv:10'],
      ['hal.rossi@example.net', 'bounces.csv:11'],
    ]);
  });

  it('the list does not say bounce or block, so rows carry no verdict', async () => {
    const records = await parseRecords(sendgridFormat, bouncesCsv);
    const multiLine = records[1];
    expect(multiLine).toMatchObject({
      action: 'failed',
      status: '5.1.1',
      smtpCode: '550',
      at: '2024-03-04T09:16:51.000Z',
      vendorReason: null,
      vendorClass: null,
    });
    expect(multiLine?.diagnostic).toMatch(/typos or 550 5\.1\.1 unnecessary spaces/);
    expect(records[6]?.diagnostic).toBe('550 Requested action not taken: mailbox unavailable ("gus.schmidt")');
  });
});

describe('sendgrid bad input', () => {
  it('an event without email is malformed; a broken line is malformed; reading continues', async () => {
    const text = [
      '{"event":"bounce","reason":"550 no such user","timestamp":1709716837}',
      '{"email":"a@example.com","event":"bounce"',
      '{"email":"b@example.com","event":"bounce","status":"5.1.1","timestamp":1709716837}',
    ].join('\n');
    const items = await parseText(sendgridFormat, text);
    expect(items.map((item) => [item.kind, item.kind === 'record' ? item.record.recipient : item.line])).toEqual([
      ['malformed', 1],
      ['malformed', 2],
      ['record', 'b@example.com'],
    ]);
  });

  it('an open without an address is still only skipped', async () => {
    const items = await parseText(sendgridFormat, '{"event":"open","timestamp":1}');
    expect(items).toEqual([{ kind: 'skipped', line: 1 }]);
  });
});
