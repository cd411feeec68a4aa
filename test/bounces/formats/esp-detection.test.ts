/** Every ESP detector against every ESP fixture, a Postfix log line and an RFC 5322 message. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { genericCsvFormat, genericJsonlFormat } from '../../../src/bounces/formats/generic.js';
import { mailchimpFormat } from '../../../src/bounces/formats/mailchimp.js';
import { mailgunFormat } from '../../../src/bounces/formats/mailgun.js';
import { mandrillFormat } from '../../../src/bounces/formats/mandrill.js';
import { postmarkFormat } from '../../../src/bounces/formats/postmark.js';
import { resendFormat } from '../../../src/bounces/formats/resend.js';
import { sendgridFormat } from '../../../src/bounces/formats/sendgrid.js';
import { sesFormat } from '../../../src/bounces/formats/ses.js';
import { sparkpostFormat } from '../../../src/bounces/formats/sparkpost.js';
import type { FormatParser } from '../../../src/bounces/types.js';

const SAMPLE_SIZE = 64 * 1024;
const sample = (path: string): string =>
  readFileSync(new URL(`../../../fixtures/bounces/${path}`, import.meta.url), 'utf8').slice(0, SAMPLE_SIZE);

const vendors: FormatParser[] = [
  sesFormat,
  sendgridFormat,
  mailgunFormat,
  postmarkFormat,
  sparkpostFormat,
  mandrillFormat,
  mailchimpFormat,
  resendFormat,
];
const generics: FormatParser[] = [genericCsvFormat, genericJsonlFormat];

const fixtures: Array<[string, FormatParser]> = [
  ['ses/notifications.jsonl', sesFormat],
  ['ses/sns-envelopes.json', sesFormat],
  ['sendgrid/events.json', sendgridFormat],
  ['sendgrid/bounces.csv', sendgridFormat],
  ['mailgun/events-page.json', mailgunFormat],
  ['mailgun/webhooks.jsonl', mailgunFormat],
  ['postmark/bounces.json', postmarkFormat],
  ['postmark/webhooks.jsonl', postmarkFormat],
  ['sparkpost/webhook.json', sparkpostFormat],
  ['sparkpost/events-api.json', sparkpostFormat],
  ['mandrill/webhook.json', mandrillFormat],
  ['mandrill/sync-events.jsonl', mandrillFormat],
  ['mailchimp/cleaned.csv', mailchimpFormat],
  ['resend/webhooks.jsonl', resendFormat],
  ['generic/bounces.csv', genericCsvFormat],
  ['generic/events.jsonl', genericJsonlFormat],
];

const POSTFIX_LINE =
  'Dec 11 10:00:24 mx1 postfix/smtp[676]: 3893C1102DD6: to=<ann@example.org>, relay=mx.example.org[192.0.2.7]:25, delay=8942, delays=0.04/8938/3/0.33, dsn=5.0.0, status=bounced (host mx.example.org[192.0.2.7] said: 550 Invalid recipient <ann@example.org> (#5.1.1) (in reply to RCPT TO command))\n';
const RFC5322_MESSAGE = [
  'Return-Path: <>',
  'From: Mail Delivery System <MAILER-DAEMON@mx.example.com>',
  'To: news@example.com',
  'Subject: Undelivered Mail Returned to Sender',
  'Content-Type: multipart/report; report-type=delivery-status; boundary="b1"',
  '',
  '--b1',
  'Content-Type: message/delivery-status',
  '',
  'Final-Recipient: rfc822; ann@example.org',
  'Action: failed',
  'Status: 5.1.1',
  '--b1--',
  '',
].join('\n');

describe('ESP format detection', () => {
  it.each(fixtures)('%s: its own detector scores highest', (path, owner) => {
    const text = sample(path);
    const ownScore = owner.detect(text, path);
    expect(ownScore).toBeGreaterThan(0);
    for (const other of [...vendors, ...generics]) {
      if (other !== owner) expect(other.detect(text, path), other.name).toBeLessThan(ownScore);
    }
  });

  it.each(fixtures)('%s: every other vendor detector scores 0', (path, owner) => {
    const text = sample(path);
    for (const other of vendors) if (other !== owner) expect(other.detect(text, path), other.name).toBe(0);
  });

  it.each(fixtures.filter(([, owner]) => vendors.includes(owner)))('%s: vendor detector beats the generic readers', (path, owner) => {
    const text = sample(path);
    for (const generic of generics) expect(owner.detect(text, path)).toBeGreaterThan(generic.detect(text, path));
  });

  it('no ESP or generic detector claims a Postfix log line or an RFC 5322 message', () => {
    for (const format of [...vendors, ...generics]) {
      expect(format.detect(POSTFIX_LINE, 'mail.log'), format.name).toBe(0);
      expect(format.detect(RFC5322_MESSAGE, 'bounce.eml'), format.name).toBe(0);
    }
  });

  it('no detector throws or scores on empty or binary-looking input', () => {
    for (const format of [...vendors, ...generics]) {
      expect(format.detect('', 'empty')).toBe(0);
      expect(format.detect('\u0000\u0001\u0002PK\u0003\u0004', 'x.zip')).toBe(0);
    }
  });
});
