import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { sesFormat } from '../../../src/bounces/formats/ses.js';
import type { ParsedRecord } from '../../../src/bounces/types.js';
import { parseRecords, parseText } from '../../helpers.js';

const fixture = (name: string): string => readFileSync(new URL(`../../../fixtures/bounces/ses/${name}`, import.meta.url), 'utf8');
const notifications = fixture('notifications.jsonl');
const envelopes = fixture('sns-envelopes.json');

async function recordsByRecipient(text: string): Promise<Map<string, ParsedRecord>> {
  const records = await parseRecords(sesFormat, text, { file: 'ses.jsonl' });
  return new Map(records.map((record) => [record.recipient, record]));
}

describe('ses detection', () => {
  it('recognises raw notifications and SNS envelopes', () => {
    expect(sesFormat.detect(notifications, 'n.jsonl')).toBeGreaterThanOrEqual(0.9);
    expect(sesFormat.detect(envelopes, 'e.json')).toBeGreaterThanOrEqual(0.9);
  });

  it('recognises a sample cut off in the middle of a document', () => {
    expect(sesFormat.detect(envelopes.slice(0, 1500), 'e.json')).toBeGreaterThanOrEqual(0.9);
  });
});

describe('ses bounces', () => {
  it('Permanent/General: hard with no reason; the remote reply without "smtp;"', async () => {
    const record = (await recordsByRecipient(notifications)).get('ann.lee@example.com');
    expect(record).toMatchObject({
      action: 'failed',
      status: '5.1.1',
      smtpCode: '550',
      diagnostic: '550 5.1.1 <ann.lee@example.com>: Recipient address rejected: User unknown in virtual mailbox table',
      vendorReason: null,
      vendorClass: 'hard',
      remoteMta: '192.0.2.25',
      at: '2024-03-04T09:15:03.412Z',
      messageKey: '0102018e0a001eef-5f1c2d3e-91a0-4b7e-8c2d-000000000001-000000',
      source: 'ses.jsonl:1',
    });
  });

  it('Permanent/NoEmail is userunknown; a multi-line reply is flattened to one line', async () => {
    const record = (await recordsByRecipient(notifications)).get('bo.nguyen@example.org');
    expect(record).toMatchObject({ vendorReason: 'userunknown', vendorClass: 'hard', smtpCode: '550' });
    expect(record?.diagnostic).toMatch(/^550-5\.1\.1 The email account .* Please try 550-5\.1\.1 double-checking/);
    expect(record?.diagnostic).not.toMatch(/\n/);
  });

  it('Suppressed and OnAccountSuppressionList are suppressed (hard)', async () => {
    const records = await recordsByRecipient(notifications);
    for (const recipient of ['cy.olsen@example.net', 'gus.schmidt@example.com']) {
      expect(records.get(recipient)).toMatchObject({ vendorReason: 'suppressed', vendorClass: 'hard', smtpCode: null });
    }
  });

  it.each([
    ['dee.park@example.com', 'MailboxFull', 'mailboxfull', 'soft'],
    ['jon.berg@example.org', 'MessageTooLarge', 'emailtoolarge', 'soft'],
    ['hal.rossi@example.net', 'ContentRejected', 'contenterror', 'block'],
    ['kim.sato@example.net', 'AttachmentRejected', 'securityerror', 'block'],
  ])('Transient/%s (%s) -> %s %s', async (recipient, _subType, reason, cls) => {
    const record = (await recordsByRecipient(notifications)).get(recipient);
    expect(record).toMatchObject({ action: 'failed', vendorReason: reason, vendorClass: cls });
  });

  it('Transient/General with two recipients: one soft record each, same event source', async () => {
    const records = await recordsByRecipient(notifications);
    for (const recipient of ['eli.moreau@example.org', 'fay.ito@example.org']) {
      expect(records.get(recipient)).toMatchObject({
        vendorReason: null,
        vendorClass: 'soft',
        status: '4.4.7',
        smtpCode: '421',
        source: 'ses.jsonl:5',
      });
    }
  });

  it('Undetermined carries no verdict (the classifier reads the text)', async () => {
    const record = (await recordsByRecipient(notifications)).get('ivy.chen@example.com');
    expect(record).toMatchObject({ vendorReason: null, vendorClass: null, status: null, diagnostic: null });
  });
});

describe('ses complaints, deliveries, delays', () => {
  it('a complaint is feedback with its feedback type, "abuse" when SES gives none', async () => {
    const records = await recordsByRecipient(notifications);
    expect(records.get('lou.adams@example.com')).toMatchObject({
      vendorReason: 'feedback',
      vendorClass: 'complaint',
      feedbackType: 'abuse',
      at: '2024-03-05T07:01:12.000Z',
    });
    expect(records.get('max.ortiz@example.org')).toMatchObject({ vendorClass: 'complaint', feedbackType: 'abuse' });
  });

  it('a complaint on the account suppression list is a suppression, not a new complaint', async () => {
    const line = JSON.stringify({
      notificationType: 'Complaint',
      complaint: {
        complaintSubType: 'OnAccountSuppressionList',
        complainedRecipients: [{ emailAddress: 'zed@example.com' }],
        timestamp: '2024-03-05T08:30:00.000Z',
      },
      mail: { messageId: 'm-1', timestamp: '2024-03-05T08:29:00.000Z' },
    });
    const [record] = await parseRecords(sesFormat, line);
    expect(record).toMatchObject({ vendorReason: 'suppressed', vendorClass: 'complaint', feedbackType: null });
  });

  it('a delivery yields one delivered record per recipient with the SMTP response', async () => {
    const records = await recordsByRecipient(notifications);
    for (const recipient of ['ned.kowalski@example.com', 'ola.hansen@example.com']) {
      expect(records.get(recipient)).toMatchObject({
        action: 'delivered',
        vendorReason: 'delivered',
        vendorClass: 'delivered',
        smtpCode: '250',
        status: '2.0.0',
        remoteMta: '198.51.100.27',
        source: 'ses.jsonl:13',
      });
    }
  });

  it('a DeliveryDelay (event publishing) is a delayed record with the delay type as verdict', async () => {
    const record = (await recordsByRecipient(notifications)).get('pia.rahman@example.net');
    expect(record).toMatchObject({
      action: 'delayed',
      status: '4.4.1',
      smtpCode: '421',
      vendorReason: 'networkerror',
      vendorClass: 'soft',
      at: '2024-03-04T10:05:31.000Z',
      remoteMta: 'a4-31.smtp-out.eu-west-1.amazonses.com',
    });
  });

  it('Send and Open events are skipped', async () => {
    const items = await parseText(sesFormat, notifications);
    expect(items.filter((item) => item.kind === 'skipped').map((item) => item.line)).toEqual([15, 16]);
    expect(items.filter((item) => item.kind === 'malformed')).toEqual([]);
  });
});

describe('ses via SNS', () => {
  it('opens the JSON string in Message; sources are the lines where the envelopes start', async () => {
    const records = await parseRecords(sesFormat, envelopes, { file: 'sns.json' });
    expect(records.map((record) => [record.recipient, record.source, record.vendorClass])).toEqual([
      ['rae.fontaine@example.com', 'sns.json:15', 'hard'],
      ['sam.idowu@example.com', 'sns.json:15', 'hard'],
      ['tess.moran@example.net', 'sns.json:26', 'complaint'],
      ['uma.patel@example.org', 'sns.json:37', 'delivered'],
    ]);
  });

  it('skips subscription confirmations and plain-text messages', async () => {
    const items = await parseText(sesFormat, envelopes);
    expect(items.filter((item) => item.kind === 'skipped').map((item) => item.line)).toEqual([2, 48]);
  });

  it('reads the same envelopes one per line (JSONL) and as a one-line array', async () => {
    const elements = JSON.parse(envelopes) as unknown[];
    const jsonl = elements.map((element) => JSON.stringify(element)).join('\n');
    const fromArray = await parseRecords(sesFormat, envelopes);
    const fromLines = await parseRecords(sesFormat, jsonl);
    const strip = (records: ParsedRecord[]) => records.map(({ source: _source, ...rest }) => rest);
    expect(strip(fromLines)).toEqual(strip(fromArray));
    expect(fromLines.map((record) => record.source)).toEqual(['input:2', 'input:2', 'input:3', 'input:4']);
    const oneLine = await parseRecords(sesFormat, JSON.stringify(elements));
    expect(oneLine.map((record) => record.source)).toEqual(['input#2', 'input#2', 'input#3', 'input#4']);
  });

  it('an envelope whose Message is broken JSON is malformed; reading continues', async () => {
    const broken = JSON.stringify({ Type: 'Notification', TopicArn: 'arn:aws:sns:x', Message: '{"notificationType":' });
    const lines = [broken, notifications.split('\n')[0]].join('\n');
    const items = await parseText(sesFormat, lines);
    expect(items[0]).toMatchObject({ kind: 'malformed', line: 1 });
    expect(items[1]).toMatchObject({ kind: 'record', record: { recipient: 'ann.lee@example.com', source: 'input:2' } });
  });
});

describe('ses bad input', () => {
  it('a line that is not JSON is malformed and the next lines are still read', async () => {
    const lines = notifications.split('\n');
    const text = [lines[0], '{"notificationType":"Bounce",', lines[1]].join('\n');
    const items = await parseText(sesFormat, text);
    expect(items.map((item) => item.kind)).toEqual(['record', 'malformed', 'record']);
    expect(items[1]).toMatchObject({ line: 2 });
  });

  it('a bounced recipient without an address is malformed; the others are read', async () => {
    const event = {
      notificationType: 'Bounce',
      bounce: {
        bounceType: 'Permanent',
        bounceSubType: 'General',
        bouncedRecipients: [{ status: '5.1.1' }, { emailAddress: 'ok@example.com', status: '5.1.1' }],
      },
      mail: { messageId: 'm-2' },
    };
    const items = await parseText(sesFormat, JSON.stringify(event));
    expect(items[0]).toMatchObject({ kind: 'malformed', line: 1 });
    expect(items[1]).toMatchObject({ kind: 'record', record: { recipient: 'ok@example.com' } });
  });

  it('an object that is not an SES notification is malformed', async () => {
    const items = await parseText(sesFormat, '{"hello":"world"}\n[1]\n');
    expect(items.map((item) => item.kind)).toEqual(['malformed', 'malformed']);
  });
});

describe('ses account suppression list', () => {
  it('reads `aws sesv2 list-suppressed-destinations` output: every address is suppressed, by its Reason', async () => {
    const records = await recordsByRecipient(fixture('suppression-list.json'));
    expect(records.get('ann.lee@example.com')).toMatchObject({
      action: 'failed',
      vendorReason: 'suppressed',
      vendorClass: 'hard',
      at: '2024-11-28T09:14:03.512Z',
    });
    expect(records.get('bo.nguyen@example.org')).toMatchObject({ vendorReason: 'suppressed', vendorClass: 'complaint' });
    expect(sesFormat.detect(fixture('suppression-list.json'), 'list.json')).toBeGreaterThanOrEqual(0.9);
  });

  it('reads the same list as CSV, to the same records as its JSON', async () => {
    const csv =
      'EmailAddress,Reason,LastUpdateTime\nann.lee@example.com,BOUNCE,2024-11-28T09:14:03.512Z\nbo.nguyen@example.org,COMPLAINT,2024-11-29T16:40:57.118Z\n';
    expect(sesFormat.detect(csv, 'list.csv')).toBeGreaterThanOrEqual(0.9);
    const fromCsv = await parseRecords(sesFormat, csv, { file: 'list' });
    const fromJson = await parseRecords(sesFormat, fixture('suppression-list.json'), { file: 'list' });
    const withoutSource = (records: ParsedRecord[]) => records.map(({ source: _source, ...rest }) => rest);
    expect(withoutSource(fromCsv)).toEqual(withoutSource(fromJson));
  });

  it('reads its entries one a line too', async () => {
    const line = '{"EmailAddress":"cy@example.net","Reason":"BOUNCE","LastUpdateTime":"2024-12-01T10:00:00Z"}\n';
    expect(sesFormat.detect(line, 'list.jsonl')).toBeGreaterThanOrEqual(0.9);
    expect(await parseRecords(sesFormat, line)).toMatchObject([{ recipient: 'cy@example.net', vendorReason: 'suppressed' }]);
  });
});
