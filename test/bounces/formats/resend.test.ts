import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { classifyBounce } from '../../../src/bounces/classify/index.js';
import { resendFormat } from '../../../src/bounces/formats/resend.js';
import { sesFormat } from '../../../src/bounces/formats/ses.js';
import { parseRecords, parseText } from '../../helpers.js';

const webhooks = readFileSync(new URL('../../../fixtures/bounces/resend/webhooks.jsonl', import.meta.url), 'utf8');

describe('resend webhook events', () => {
  it('reads bounces, delays, complaints and deliveries; skips sends and opens; refuses to guess among several recipients', async () => {
    const items = await parseText(resendFormat, webhooks, { file: 'resend.jsonl' });
    expect(items.map((item) => (item.kind === 'record' ? `${item.record.recipient} ${item.record.action}` : item.kind))).toEqual([
      'skipped',
      'ann.lee@example.com delivered',
      'bo.ng@example.org failed',
      'cy.diaz@example.net failed',
      'di.evans@example.com failed',
      'ed.fox@example.org delayed',
      'ann.lee@example.com null',
      'skipped',
      'malformed',
    ]);
    expect(items.at(-1)).toMatchObject({ message: 'email.bounced of an email to 2 recipients does not say which one' });
  });

  it('gives a bounce the class SES gives the same bounce: Resend passes SES bounce types on', async () => {
    const [resend] = await parseRecords(
      resendFormat,
      JSON.stringify({
        type: 'email.bounced',
        created_at: '2026-11-30T10:16:10.000Z',
        data: {
          email_id: 'e1',
          to: ['cy@example.net'],
          bounce: { type: 'Transient', subType: 'MailboxFull', message: 'smtp; 552 5.2.2 Mailbox full' },
        },
      }),
    );
    const [ses] = await parseRecords(
      sesFormat,
      JSON.stringify({
        notificationType: 'Bounce',
        mail: { messageId: 'e1', timestamp: '2026-11-30T10:16:00.000Z' },
        bounce: {
          bounceType: 'Transient',
          bounceSubType: 'MailboxFull',
          timestamp: '2026-11-30T10:16:10.000Z',
          bouncedRecipients: [{ emailAddress: 'cy@example.net', diagnosticCode: 'smtp; 552 5.2.2 Mailbox full' }],
        },
      }),
    );
    const verdict = (record: typeof resend) => {
      const classified = classifyBounce(record!);
      return [classified.class, classified.reason, record!.status, record!.smtpCode];
    };
    expect(verdict(resend)).toEqual(['soft', 'mailboxfull', '5.2.2', '552']);
    expect(verdict(resend)).toEqual(verdict(ses));
  });
});
