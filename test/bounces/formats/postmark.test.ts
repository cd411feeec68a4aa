import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { genericJsonlFormat } from '../../../src/bounces/formats/generic.js';
import { postmarkFormat } from '../../../src/bounces/formats/postmark.js';
import type { ParsedRecord } from '../../../src/bounces/types.js';
import { parseRecords, parseText } from '../../helpers.js';

const fixture = (name: string): string => readFileSync(new URL(`../../../fixtures/bounces/postmark/${name}`, import.meta.url), 'utf8');
const bounces = fixture('bounces.json');
const webhooks = fixture('webhooks.jsonl');

async function byRecipient(text: string): Promise<Map<string, ParsedRecord>> {
  const records = await parseRecords(postmarkFormat, text, { file: 'pm.json' });
  return new Map(records.map((record) => [record.recipient, record]));
}

describe('postmark detection', () => {
  it('recognises the bounces API and webhooks, above the generic reader', () => {
    expect(postmarkFormat.detect(bounces, 'b.json')).toBeGreaterThanOrEqual(0.9);
    expect(postmarkFormat.detect(webhooks, 'w.jsonl')).toBeGreaterThanOrEqual(0.9);
    expect(postmarkFormat.detect(bounces, 'b.json')).toBeGreaterThan(genericJsonlFormat.detect(bounces, 'b.json'));
  });
});

describe('postmark bounce types', () => {
  it.each([
    ['ann.lee@example.com', 'HardBounce', 'failed', 'userunknown', 'hard'],
    ['bo.nguyen@example.org', 'SoftBounce', 'failed', null, 'soft'],
    ['cy.olsen@example.net', 'Transient', 'delayed', null, 'soft'],
    ['dee.park@example.com', 'DnsError', 'failed', 'networkerror', 'soft'],
    ['eli.moreau@example.org', 'SpamNotification', 'failed', 'spamdetected', 'block'],
    ['fay.ito@example.org', 'AutoResponder', null, 'vacation', 'auto-reply'],
    ['gus.schmidt@example.com', 'AddressChange', 'failed', 'hasmoved', 'hard'],
    ['hal.rossi@example', 'BadEmailAddress', 'failed', 'userunknown', 'hard'],
    ['ivy.chen@example.com', 'ManuallyDeactivated', 'failed', 'suppressed', 'hard'],
    ['jon.berg@example.org', 'Blocked', 'failed', 'blocked', 'block'],
    ['kim.sato@example.net', 'DMARCPolicy', 'failed', 'authfailure', 'block'],
    ['lou.adams@example.com', 'VirusNotification', 'failed', 'virusdetected', 'block'],
    ['ned.kowalski@example.com', 'SpamComplaint', null, 'feedback', 'complaint'],
  ])('%s: Type %s -> %s %s %s', async (recipient, _type, action, vendorReason, vendorClass) => {
    const record = (await byRecipient(bounces)).get(recipient);
    expect(record).toMatchObject({ action, vendorReason, vendorClass });
  });

  it('reads the remote reply from Details ("smtp;550 5.1.1 ..."), the time from BouncedAt', async () => {
    const record = (await byRecipient(bounces)).get('ann.lee@example.com');
    expect(record).toMatchObject({
      status: '5.1.1',
      smtpCode: '550',
      at: '2024-03-08T10:15:44.907Z',
      messageKey: 'a5e3c1d2-1001-4b7f-9c3e-2f1a0b9c8d7e',
      source: 'pm.json:4',
    });
    expect(record?.diagnostic).toMatch(/^550 5\.1\.1 The email account/);
  });

  it('converts a BouncedAt with an offset to UTC', async () => {
    expect((await byRecipient(bounces)).get('cy.olsen@example.net')?.at).toBe('2024-03-08T10:20:11.000Z');
  });

  it('marks auto-replies and complaints as such', async () => {
    const records = await byRecipient(bounces);
    expect(records.get('fay.ito@example.org')?.autoReply).toBe(true);
    expect(records.get('ned.kowalski@example.com')?.feedbackType).toBe('abuse');
  });

  it('skips Unsubscribe requests', async () => {
    const items = await parseText(postmarkFormat, bounces);
    expect(items.filter((item) => item.kind === 'skipped').map((item) => item.line)).toEqual([244]);
    expect(items.filter((item) => item.kind === 'record')).toHaveLength(13);
  });

  it('reads the type from TypeCode when Type is missing', async () => {
    const record = { TypeCode: 100006, Email: 'x@example.com', Details: 'smtp;554 5.7.1 blocked', MessageID: 'm' };
    const [parsed] = await parseRecords(postmarkFormat, JSON.stringify(record));
    expect(parsed).toMatchObject({ vendorReason: 'blocked', vendorClass: 'block', smtpCode: '554' });
  });
});

describe('postmark webhooks', () => {
  it('reads bounce, delivery, complaint and suppression webhooks; skips opens', async () => {
    const items = await parseText(postmarkFormat, webhooks, { file: 'hooks.jsonl' });
    const summary = items.map((item) =>
      item.kind === 'record'
        ? [item.record.recipient, item.record.action, item.record.vendorReason, item.record.vendorClass, item.record.source]
        : [item.kind, item.line],
    );
    expect(summary).toEqual([
      ['ola.hansen@example.com', 'failed', 'userunknown', 'hard', 'hooks.jsonl:1'],
      ['pia.rahman@example.net', 'delivered', 'delivered', 'delivered', 'hooks.jsonl:2'],
      ['quinn.dubois@example.com', null, 'feedback', 'complaint', 'hooks.jsonl:3'],
      ['rae.fontaine@example.com', 'failed', 'suppressed', 'hard', 'hooks.jsonl:4'],
      ['skipped', 5],
    ]);
  });

  it('a delivery keeps the SMTP reply and DeliveredAt', async () => {
    const records = await byRecipient(webhooks);
    expect(records.get('pia.rahman@example.net')).toMatchObject({
      smtpCode: '250',
      status: '2.0.0',
      at: '2024-03-09T08:01:00.000Z',
    });
  });

  it('a reactivation (SuppressSending false) is not evidence', async () => {
    const change = { RecordType: 'SubscriptionChange', Recipient: 'x@example.com', SuppressSending: false };
    expect(await parseText(postmarkFormat, JSON.stringify(change))).toEqual([{ kind: 'skipped', line: 1 }]);
  });
});

describe('postmark bad input', () => {
  it('a bounce without Email is malformed; a broken line too; reading continues', async () => {
    const lines = webhooks.split('\n');
    const text = ['{"Type":"HardBounce","Details":"smtp;550 5.1.1"}', '{"Type":', lines[0]].join('\n');
    const items = await parseText(postmarkFormat, text);
    expect(items.map((item) => [item.kind, item.kind === 'record' ? item.record.source : item.line])).toEqual([
      ['malformed', 1],
      ['malformed', 2],
      ['record', 'input:3'],
    ]);
  });
});
