import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { genericJsonlFormat } from '../../../src/bounces/formats/generic.js';
import { mailgunFormat } from '../../../src/bounces/formats/mailgun.js';
import type { ParsedRecord } from '../../../src/bounces/types.js';
import { parseRecords, parseText } from '../../helpers.js';

const fixture = (name: string): string => readFileSync(new URL(`../../../fixtures/bounces/mailgun/${name}`, import.meta.url), 'utf8');
const page = fixture('events-page.json');
const webhooks = fixture('webhooks.jsonl');

async function byRecipient(text: string): Promise<Map<string, ParsedRecord>> {
  const records = await parseRecords(mailgunFormat, text, { file: 'mg.json' });
  return new Map(records.map((record) => [record.recipient, record]));
}

describe('mailgun detection', () => {
  it('recognises an events page and webhook posts, above the generic reader', () => {
    expect(mailgunFormat.detect(page, 'p.json')).toBeGreaterThanOrEqual(0.9);
    expect(mailgunFormat.detect(webhooks, 'w.jsonl')).toBeGreaterThanOrEqual(0.9);
    expect(mailgunFormat.detect(page, 'p.json')).toBeGreaterThan(genericJsonlFormat.detect(page, 'p.json'));
  });
});

describe('mailgun failed events', () => {
  it('permanent bounce: hard, code and enhanced code, remote text, MX host, message id', async () => {
    const record = (await byRecipient(page)).get('bo.nguyen@example.org');
    expect(record).toMatchObject({
      action: 'failed',
      status: '5.1.1',
      smtpCode: '550',
      vendorReason: null,
      vendorClass: 'hard',
      remoteMta: 'aspmx.l.google.com',
      at: '2024-03-07T09:22:04.187Z',
      messageKey: '20240307092000.0004.7f3c9e1a2b@mg.example.com',
      source: 'mg.json:81',
    });
    expect(record?.diagnostic).toMatch(/^5\.1\.1 The email account that you tried to reach does not exist/);
  });

  it('a permanent "bounce" that is really a spam block keeps the text for the classifier', async () => {
    const record = (await byRecipient(page)).get('kim.sato@example.net');
    expect(record).toMatchObject({ vendorClass: 'hard', status: '5.7.1' });
    expect(record?.diagnostic).toMatch(/likely unsolicited mail/);
  });

  it('temporary failure is a delayed soft event (Mailgun retries)', async () => {
    const record = (await byRecipient(page)).get('cy.olsen@example.net');
    expect(record).toMatchObject({ action: 'delayed', vendorClass: 'soft', status: '4.2.2', smtpCode: '452' });
  });

  it.each([
    ['dee.park@example.com', 'suppress-bounce', 'suppressed', 'hard'],
    ['ivy.chen@example.com', 'suppress-complaint', 'suppressed', 'complaint'],
    ['jon.berg@example.org', 'suppress-unsubscribe', 'suppressed', 'hard'],
    ['gus.schmidt@example.com', 'old', 'expired', 'soft'],
    ['hal.rossi@example.net', 'espblock', 'blocked', 'block'],
  ])('%s: reason %s -> %s %s', async (recipient, _reason, vendorReason, vendorClass) => {
    const record = (await byRecipient(page)).get(recipient);
    expect(record).toMatchObject({ action: 'failed', vendorReason, vendorClass });
  });

  it('suppression codes (605, 606, 607) are not SMTP codes; the description is the text', async () => {
    const record = (await byRecipient(page)).get('dee.park@example.com');
    expect(record).toMatchObject({ smtpCode: null, diagnostic: 'Not delivering to previously bounced address' });
  });

  it('498 (Mailgun: no MX) is hostunknown with no SMTP code; the description is the text', async () => {
    const record = (await byRecipient(page)).get('eli.moreau@example.invalid');
    expect(record).toMatchObject({
      action: 'failed',
      smtpCode: null,
      vendorReason: 'hostunknown',
      vendorClass: 'hard',
      diagnostic: 'No MX for example.invalid',
    });
  });

  it('499 (Mailgun: timeouts), temporary, is a delayed networkerror', async () => {
    const record = (await byRecipient(page)).get('fay.ito@example.org');
    expect(record).toMatchObject({
      action: 'delayed',
      smtpCode: null,
      vendorReason: 'networkerror',
      vendorClass: 'soft',
    });
    expect(record?.diagnostic).toMatch(/connection timed out/);
  });
});

describe('mailgun other events', () => {
  it('delivered and complained', async () => {
    const records = await byRecipient(page);
    expect(records.get('ann.lee@example.com')).toMatchObject({
      action: 'delivered',
      vendorClass: 'delivered',
      smtpCode: '250',
      status: '2.0.0',
      remoteMta: 'mx1.example.com',
    });
    expect(records.get('lou.adams@example.com')).toMatchObject({
      vendorReason: 'feedback',
      vendorClass: 'complaint',
      feedbackType: 'abuse',
    });
  });

  it('skips accepted, opened, clicked and unsubscribed', async () => {
    const items = await parseText(mailgunFormat, page);
    expect(items.filter((item) => item.kind === 'skipped').map((item) => item.line)).toEqual([3, 564, 601, 636]);
    expect(items.filter((item) => item.kind === 'record')).toHaveLength(12);
  });

  it('opens webhook posts ({signature, event-data}), one per line', async () => {
    const records = await parseRecords(mailgunFormat, webhooks, { file: 'hooks.jsonl' });
    expect(records.map((record) => [record.recipient, record.action, record.vendorClass, record.source])).toEqual([
      ['ned.kowalski@example.com', 'failed', 'hard', 'hooks.jsonl:1'],
      ['ola.hansen@example.com', 'delivered', 'delivered', 'hooks.jsonl:2'],
      ['pia.rahman@example.net', 'delayed', 'soft', 'hooks.jsonl:3'],
      ['quinn.dubois@example.com', null, 'complaint', 'hooks.jsonl:4'],
    ]);
  });

  it('reads the items of a page written on one line as file#n', async () => {
    const oneLine = JSON.stringify(JSON.parse(page));
    const records = await parseRecords(mailgunFormat, oneLine, { file: 'p.json' });
    expect(records[0]?.source).toBe('p.json#2');
    expect(records).toHaveLength(12);
  });
});

describe('mailgun bad input', () => {
  it('a failed event without recipient is malformed; a broken line too; reading continues', async () => {
    const lines = webhooks.split('\n');
    const noRecipient = JSON.stringify({ event: 'failed', severity: 'permanent', 'delivery-status': { code: 550 } });
    const text = [noRecipient, '{"event-data": {"event": "failed"', lines[0]].join('\n');
    const items = await parseText(mailgunFormat, text);
    expect(items.map((item) => [item.kind, item.kind === 'record' ? item.record.source : item.line])).toEqual([
      ['malformed', 1],
      ['malformed', 2],
      ['record', 'input:3'],
    ]);
  });
});
