/**
 * An Amazon SES notification reaches hygiene two ways: in an SES log or export (one JSON document
 * a line), and as the body of an e-mail from an SNS e-mail subscription. Both must give the same
 * records, so a mailbox-fed setup and a log-fed one treat the same bounce alike.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { emlFormat } from '../../src/bounces/formats/eml.js';
import { sesFormat } from '../../src/bounces/formats/ses.js';
import { classifyParsed } from '../../src/pipeline/read-bounces.js';
import type { BounceRecord } from '../../src/bounces/types.js';
import { parseRecords } from '../helpers.js';

const notifications = readFileSync(new URL('../../fixtures/bounces/ses/notifications.jsonl', import.meta.url), 'utf8')
  .split('\n')
  .filter((line) => line.trim() !== '');

/** The notification as SNS e-mails it: the JSON document is the body, folded at 76 columns. */
function snsMail(document: string): string {
  const folded = document.match(/.{1,76}/g)!.join('\n ');
  return [
    'From: AWS Notifications <no-reply@sns.amazonaws.com>',
    'To: bounces@mail.example.com',
    'Subject: AWS Notification Message',
    'Date: Mon, 4 Mar 2024 09:20:00 +0000',
    'Message-ID: <0100018e0a00aaaa@email.amazonses.com>',
    'Content-Type: text/plain; charset=UTF-8',
    '',
    folded,
    '',
    '--',
    'If you wish to stop receiving notifications from this topic, please click or visit the link below to unsubscribe:',
    'https://sns.eu-west-1.amazonaws.com/unsubscribe.html?SubscriptionArn=arn:aws:sns:eu-west-1:123456789012:ses-bounces',
    '',
  ].join('\n');
}

/** What a user sees of a record, less where it came from (a log line vs a message). */
function comparable(record: BounceRecord): Omit<BounceRecord, 'source' | 'format'> {
  const { source: _source, format: _format, ...rest } = record;
  return rest;
}

async function viaLog(document: string): Promise<BounceRecord[]> {
  return (await parseRecords(sesFormat, `${document}\n`, { file: 'ses.jsonl' })).map((record) => classifyParsed(record, 'ses'));
}

async function viaMail(document: string): Promise<BounceRecord[]> {
  return (await parseRecords(emlFormat, snsMail(document), { file: 'sns.eml' })).map((record) => classifyParsed(record, 'eml'));
}

describe('one SES reader for logs and SNS e-mail', () => {
  it.each(notifications.map((line) => [kindOf(line), line]))('%s gives equal records both ways', async (_kind, document) => {
    const fromLog = await viaLog(document);
    const fromMail = await viaMail(document);
    expect(fromMail.map(comparable)).toEqual(fromLog.map(comparable));
  });

  it("rejected content and attachments are the sender's problem (block) both ways; delays are read from mail too", async () => {
    const wanted = new Map([
      ['ContentRejected', { class: 'block', reason: 'contenterror' }],
      ['AttachmentRejected', { class: 'block', reason: 'securityerror' }],
      ['TransientCommunicationFailure', { class: 'soft', reason: 'networkerror' }],
    ]);
    for (const line of notifications) {
      const expected = wanted.get(kindOf(line).split(/[ /]/).pop()!);
      if (!expected) continue;
      const fromMail = await viaMail(line);
      expect(fromMail.length).toBeGreaterThan(0);
      for (const record of fromMail) expect(record).toMatchObject(expected);
    }
  });
});

function kindOf(line: string): string {
  const document = JSON.parse(line) as Record<string, Record<string, unknown> & { notificationType?: string; eventType?: string }>;
  const type = String(document['notificationType'] ?? document['eventType']);
  const detail = document['bounce'] ?? document['deliveryDelay'];
  const sub = detail ? [detail['bounceType'], detail['bounceSubType'], detail['delayType']].filter(Boolean).join('/') : '';
  return sub ? `${type} ${sub}` : type;
}
