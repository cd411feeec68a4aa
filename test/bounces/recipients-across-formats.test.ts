/**
 * Every format hygiene reads, from its fixture: each record's recipient is an address the input
 * names, and never the sender of the mail that bounced (Postfix/Sendmail `from=`, Exim `<=`,
 * PowerMTA `orig`, an ESP's `from`/`sender`/`source`), the bounce's own sender (MAILER-DAEMON),
 * or the list address a campaign came from. Auto-replies are the exception by nature: their
 * recipient is who replied.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseBounces } from '../../src/index.js';

const FIXTURES = path.resolve(__dirname, '../../fixtures/bounces');

/** The sender-side addresses each fixture holds (found by reading them: from=, orig, From:, ...). */
const SENDERS: Record<string, string[]> = {
  'eml/arf-complaint.eml': ['fbl@feedback.example.net', 'news@example.com'],
  'eml/exim-base64.eml': ['mailer-daemon@mail.example.com', 'news@example.com'],
  'eml/gmail-quoted-printable.eml': ['mailer-daemon@googlemail.com', 'news@example.com'],
  'eml/iso-2022-jp.eml': ['news@example.com', 'postmaster@mail.example.jp'],
  'eml/postfix-dsn.eml': ['mailer-daemon@mx1.example.com', 'news@example.com'],
  'eml/qmail-plain.eml': ['mailer-daemon@mail.example.com', 'news@example.com'],
  'eml/sendmail-cr-only.eml': ['mailer-daemon@relay.example.com', 'news@example.com'],
  'exim/mainlog': ['alerts@example.com', 'billing@example.com', 'news@example.com'],
  'mailgun/events-page.json': ['bounce+6e1f3a.01@mg.example.com', 'bounce+6e1f3a.02@mg.example.com', 'bounce+6e1f3a.03@mg.example.com'],
  'mailgun/webhooks.jsonl': ['bounce+6e1f3a.21@mg.example.com', 'shop@mg.example.com'],
  'mbox/bounces.mbox': ['mailer-daemon@mail.example.com', 'mailer-daemon@mx1.example.com', 'news@example.com'],
  'postfix/mail.log': ['alerts@example.com', 'billing@example.com', 'news@example.com'],
  'postmark/bounces.json': ['hello@app.example.com'],
  'postmark/webhooks.jsonl': ['hello@app.example.com'],
  'powermta/acct-2026-11-02.csv': ['news@example.com'],
  // billing@ sent u31FFPtp032301; line 9 is the delivery of its bounce notice back to billing@.
  'sendmail/maillog': ['alerts@example.com', 'news@example.com', 'root@mta001.example.com'],
  'ses/notifications.jsonl': ['news@mail.example.com'],
  'sparkpost/events-api.json': ['bounces-1234@sparkpostmail.com', 'offers@send.example.com'],
  'sparkpost/webhook.json': ['bounces-1234@sparkpostmail.com', 'offers@send.example.com'],
  'eml/auto-reply.eml': [],
  'generic/bounces.csv': [],
  'generic/events.jsonl': [],
  'haraka/haraka.log': [],
  'mailchimp/cleaned.csv': [],
  'sendgrid/bounces.csv': [],
  'sendgrid/events.json': [],
  'ses/sns-envelopes.json': [],
};

async function* once(bytes: Buffer): AsyncGenerator<Buffer> {
  yield bytes;
}

describe('the recipient across every input format', () => {
  for (const [fixture, senders] of Object.entries(SENDERS)) {
    it(`${fixture}: recipients the input names, never its sender or the list`, async () => {
      const bytes = readFileSync(path.join(FIXTURES, fixture));
      const text = bytes.toString('latin1').toLowerCase();
      // The fixture's own text names the senders this test guards against.
      for (const sender of senders) expect(text).toContain(sender);
      const records = [];
      for await (const record of parseBounces(once(bytes), { file: fixture, year: 2026 })) records.push(record);
      expect(records.length).toBeGreaterThan(0);
      for (const record of records) {
        if (record.class !== 'auto-reply') expect(senders, `${record.source}`).not.toContain(record.recipient.toLowerCase());
        expect(text, `${record.source}`).toContain(record.recipient.toLowerCase().split('@')[1]!);
      }
    });
  }
});
