import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { genericJsonlFormat } from '../../../src/bounces/formats/generic.js';
import { mandrillFormat } from '../../../src/bounces/formats/mandrill.js';
import type { ParsedRecord } from '../../../src/bounces/types.js';
import { parseRecords, parseText } from '../../helpers.js';

const fixture = (name: string): string => readFileSync(new URL(`../../../fixtures/bounces/mandrill/${name}`, import.meta.url), 'utf8');
const webhook = fixture('webhook.json');
const sync = fixture('sync-events.jsonl');

async function byRecipient(text: string): Promise<Map<string, ParsedRecord>> {
  const records = await parseRecords(mandrillFormat, text, { file: 'mandrill.json' });
  return new Map(records.map((record) => [record.recipient, record]));
}

describe('mandrill detection', () => {
  it('recognises message events and rejection-list sync events, above the generic reader', () => {
    expect(mandrillFormat.detect(webhook, 'w.json')).toBeGreaterThanOrEqual(0.9);
    expect(mandrillFormat.detect(sync, 's.jsonl')).toBeGreaterThanOrEqual(0.9);
    expect(mandrillFormat.detect(webhook, 'w.json')).toBeGreaterThan(genericJsonlFormat.detect(webhook, 'w.json'));
  });

  it('leaves an event with the address at the top (Brevo, Mailjet) to the generic reader', () => {
    const brevo = '{"event":"hard_bounce","email":"ann@example.org","id":1,"reason":"550 5.1.1 User unknown"}\n';
    expect(mandrillFormat.detect(brevo, 'b.jsonl')).toBe(0);
  });
});

describe('mandrill message events', () => {
  it.each([
    ['ann.lee@example.com', 'delivered', 'delivered', 'delivered'],
    ['bo.nguyen@example.org', 'failed', 'userunknown', 'hard'],
    ['cy.olsen@example.invalid', 'failed', 'hostunknown', 'hard'],
    ['dee.park@example.net', 'failed', 'mailboxfull', 'soft'],
    // bounce_description "general": Mandrill says hard, the reply says a block list refused the sender.
    ['eli.moreau@example.org', 'failed', null, 'hard'],
    ['fay.ito@example.com', 'failed', 'spamdetected', 'block'],
    ['gus.schmidt@example.org', 'delayed', null, null],
    ['hal.rossi@example.net', null, 'feedback', 'complaint'],
    ['ivy.chen@example.com', 'failed', 'suppressed', 'hard'],
  ])('%s -> %s %s %s', async (recipient, action, vendorReason, vendorClass) => {
    expect((await byRecipient(webhook)).get(recipient)).toMatchObject({ action, vendorReason, vendorClass });
  });

  it('reads the remote reply from msg.diag, and a deferral from its last SMTP event', async () => {
    const records = await byRecipient(webhook);
    expect(records.get('bo.nguyen@example.org')).toMatchObject({
      status: '5.1.1',
      smtpCode: '550',
      at: '2024-12-02T09:21:45.000Z',
      messageKey: '0b9e8d7c6b5a49382716a5b4c3d2e1f0',
    });
    expect(records.get('gus.schmidt@example.org')).toMatchObject({ status: '4.7.0', smtpCode: '421' });
    expect(records.get('gus.schmidt@example.org')?.diagnostic).toMatch(/^421 4\.7\.0 \[TSS04\]/);
  });

  it('skips opens, clicks and a rejection for an unsubscribed address', async () => {
    const items = await parseText(mandrillFormat, webhook, { file: 'w.json' });
    expect(items.filter((item) => item.kind === 'skipped')).toHaveLength(3);
    expect((await byRecipient(webhook)).has('jon.berg@example.org')).toBe(false);
  });
});

describe('mandrill webhook bodies kept as posted', () => {
  it('reads "mandrill_events=" and the URL-encoded events, one body a line', async () => {
    const events = JSON.parse(webhook) as unknown[];
    const body = (list: unknown[]) => `mandrill_events=${encodeURIComponent(JSON.stringify(list)).replaceAll('%20', '+')}`;
    const text = `${body(events.slice(0, 2))}\n${body(events.slice(2, 3))}\n`;
    expect(mandrillFormat.detect(text, 'posts.log')).toBeGreaterThanOrEqual(0.9);
    const records = await parseRecords(mandrillFormat, text, { file: 'posts.log' });
    expect(records.map((record) => record.recipient)).toEqual(['ann.lee@example.com', 'bo.nguyen@example.org', 'cy.olsen@example.invalid']);
    expect(records[2]!.source).toBe('posts.log:2');
  });
});

describe('mandrill rejection-list sync events', () => {
  it('reads an address added for a hard bounce or a complaint, and skips removals and the allow list', async () => {
    const records = await byRecipient(sync);
    expect([...records.keys()]).toEqual(['kim.sato@example.net', 'lou.adams@example.com']);
    expect(records.get('kim.sato@example.net')).toMatchObject({
      action: 'failed',
      vendorReason: 'suppressed',
      vendorClass: 'hard',
      status: '5.1.1',
    });
    expect(records.get('lou.adams@example.com')).toMatchObject({ vendorReason: 'suppressed', vendorClass: 'complaint' });
  });
});

describe('mandrill rejection list (its API as JSON, its export as CSV)', () => {
  const csv = fixture('rejects.csv');
  const json = fixture('rejects.json');

  it('is recognised as Mandrill in both shapes, above the generic readers', () => {
    expect(mandrillFormat.detect(csv, 'rejects.csv')).toBeGreaterThanOrEqual(0.9);
    expect(mandrillFormat.detect(json, 'rejects.json')).toBeGreaterThanOrEqual(0.9);
    expect(mandrillFormat.detect(json, 'rejects.json')).toBeGreaterThan(genericJsonlFormat.detect(json, 'rejects.json'));
  });

  it('gives the same records from both: the reply that put an address there, an unsubscribe skipped', async () => {
    const strip = (records: ParsedRecord[]) => records.map(({ source: _source, ...rest }) => rest);
    const fromCsv = await parseRecords(mandrillFormat, csv, { file: 'rejects.csv' });
    const fromJson = await parseRecords(mandrillFormat, json, { file: 'rejects.json' });
    expect(strip(fromCsv)).toEqual(strip(fromJson));
    expect(fromCsv.map((record) => record.recipient)).toEqual([
      'kim.sato@example.net',
      'lou.adams@example.com',
      'nia.brown@example.net',
      'ola.berg@example.com',
    ]);
    expect(fromCsv[0]).toMatchObject({ vendorClass: 'hard', status: '5.1.1', smtpCode: '550', at: '2026-11-20T08:12:01.000Z' });
    expect(fromCsv[1]).toMatchObject({ vendorClass: 'complaint' });
    expect(fromCsv[2]).toMatchObject({ vendorClass: 'soft', status: '4.2.2' });
  });
});
