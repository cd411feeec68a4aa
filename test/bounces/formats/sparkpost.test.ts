import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { genericJsonlFormat } from '../../../src/bounces/formats/generic.js';
import { sparkpostFormat } from '../../../src/bounces/formats/sparkpost.js';
import type { ParsedRecord } from '../../../src/bounces/types.js';
import { parseRecords, parseText } from '../../helpers.js';

const fixture = (name: string): string => readFileSync(new URL(`../../../fixtures/bounces/sparkpost/${name}`, import.meta.url), 'utf8');
const webhook = fixture('webhook.json');
const eventsApi = fixture('events-api.json');

async function byRecipient(text: string): Promise<Map<string, ParsedRecord>> {
  const records = await parseRecords(sparkpostFormat, text, { file: 'sp.json' });
  return new Map(records.map((record) => [record.recipient, record]));
}

describe('sparkpost detection', () => {
  it('recognises webhook batches and the events API, above the generic reader', () => {
    expect(sparkpostFormat.detect(webhook, 'w.json')).toBeGreaterThanOrEqual(0.9);
    expect(sparkpostFormat.detect(eventsApi, 'e.json')).toBeGreaterThanOrEqual(0.9);
    expect(sparkpostFormat.detect(eventsApi, 'e.json')).toBeGreaterThan(genericJsonlFormat.detect(eventsApi, 'e.json'));
  });
});

describe('sparkpost bounce classes', () => {
  it.each([
    ['bo.nguyen@example.org', 10, 'userunknown', 'hard'],
    ['cy.olsen@example.net', 21, 'networkerror', 'soft'],
    ['dee.park@example.com', 22, 'mailboxfull', 'soft'],
    ['eli.moreau@example.org', 23, 'emailtoolarge', 'soft'],
    ['fay.ito@example.org', 24, 'expired', 'soft'],
    ['gus.schmidt@example.com', 25, 'suppressed', 'hard'],
    ['hal.rossi@example.net', 50, 'blocked', 'block'],
    ['ivy.chen@example.com', 51, 'blocked', 'block'],
    ['jon.berg@example.org', 52, 'spamdetected', 'block'],
    ['kim.sato@example.net', 53, 'securityerror', 'block'],
    ['lou.adams@example.com', 54, 'norelaying', 'block'],
    ['max.ortiz@example.org', 60, 'vacation', 'auto-reply'],
  ])('%s: bounce_class %i -> %s %s', async (recipient, _class, vendorReason, vendorClass) => {
    const record = (await byRecipient(webhook)).get(recipient);
    expect(record).toMatchObject({ vendorReason, vendorClass });
  });

  it.each([
    [1, null, null],
    [20, null, 'soft'],
    [30, null, 'hard'],
    [40, null, 'soft'],
    [70, null, 'soft'],
    [100, 'vacation', 'auto-reply'],
  ])('bounce_class %i -> %s %s', async (bounceClass, vendorReason, vendorClass) => {
    const event = { type: 'bounce', rcpt_to: 'x@example.com', bounce_class: String(bounceClass), raw_reason: '550 no' };
    const [record] = await parseRecords(sparkpostFormat, JSON.stringify(event));
    expect(record).toMatchObject({ vendorReason, vendorClass });
  });

  it('an admin failure (25) that is not a suppression is a sender-side block', async () => {
    const event = {
      type: 'policy_rejection',
      rcpt_to: 'x@example.com',
      bounce_class: '25',
      raw_reason: '554 5.7.1 [internal] Message generation rejected: exceeded sending limit',
    };
    const [record] = await parseRecords(sparkpostFormat, JSON.stringify(event));
    expect(record).toMatchObject({ action: 'failed', vendorReason: null, vendorClass: 'block' });
  });

  it('reads raw_reason, error_code, the remote IP, the time and the message id of a bounce', async () => {
    const record = (await byRecipient(webhook)).get('bo.nguyen@example.org');
    expect(record).toMatchObject({
      action: 'failed',
      status: '5.1.1',
      smtpCode: '550',
      diagnostic: '550 5.1.1 <bo.nguyen@example.org>: Recipient address rejected: User unknown in virtual mailbox table',
      remoteMta: '192.0.2.60',
      at: '2024-03-10T09:02:39.000Z',
      messageKey: '0001e1b2c3d4e5f6a703',
      source: 'sp.json:59',
    });
  });

  it('an auto-reply (60) is not a failed delivery', async () => {
    const record = (await byRecipient(webhook)).get('max.ortiz@example.org');
    expect(record).toMatchObject({ action: null, autoReply: true });
  });
});

describe('sparkpost event types', () => {
  it('delivery, delay and spam_complaint', async () => {
    const records = await byRecipient(webhook);
    expect(records.get('ann.lee@example.com')).toMatchObject({ action: 'delivered', vendorClass: 'delivered' });
    expect(records.get('ola.hansen@example.com')).toMatchObject({
      action: 'delayed',
      vendorClass: 'soft',
      smtpCode: '421',
      status: '4.7.0',
    });
    expect(records.get('pia.rahman@example.net')).toMatchObject({
      vendorReason: 'feedback',
      vendorClass: 'complaint',
      feedbackType: 'abuse',
    });
  });

  it('skips injection, open, click, unsubscribe bounces (90) and an empty msys ping', async () => {
    const items = await parseText(sparkpostFormat, webhook);
    expect(items.filter((item) => item.kind === 'skipped').map((item) => item.line)).toEqual([2, 455, 550, 578, 606]);
    expect(items.filter((item) => item.kind === 'record')).toHaveLength(15);
  });

  it('reads the events API results (one line: sources are file#n) and ISO timestamps', async () => {
    const records = await parseRecords(sparkpostFormat, eventsApi, { file: 'api.json' });
    expect(records.map((record) => [record.recipient, record.source, record.vendorClass, record.at])).toEqual([
      ['quinn.dubois@example.com', 'api.json#1', 'hard', '2024-03-10T10:31:00.000Z'],
      ['rae.fontaine@example.com', 'api.json#2', 'delivered', '2024-03-10T10:32:00.000Z'],
      ['sam.idowu@example.com', 'api.json#3', 'soft', '2024-03-10T10:33:00.000Z'],
    ]);
  });

  it('reads msys-wrapped events one per line (JSONL)', async () => {
    const batch = JSON.parse(webhook) as unknown[];
    const jsonl = batch.map((element) => JSON.stringify(element)).join('\n');
    const records = await parseRecords(sparkpostFormat, jsonl);
    expect(records).toHaveLength(15);
    expect(records[0]).toMatchObject({ recipient: 'ann.lee@example.com', source: 'input:2' });
  });
});

describe('sparkpost bad input', () => {
  it('an event without rcpt_to is malformed; a broken line too; reading continues', async () => {
    const text = [
      '{"msys":{"message_event":{"type":"bounce","bounce_class":"10","raw_reason":"550 5.1.1 unknown"}}}',
      '{"msys":{"message_event":{"type":"bounce"',
      '{"type":"bounce","rcpt_to":"x@example.com","bounce_class":"10"}',
    ].join('\n');
    const items = await parseText(sparkpostFormat, text);
    expect(items.map((item) => [item.kind, item.kind === 'record' ? item.record.source : item.line])).toEqual([
      ['malformed', 1],
      ['malformed', 2],
      ['record', 'input:3'],
    ]);
  });
});
