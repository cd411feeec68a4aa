/**
 * No regular expression may run super-linear on hostile text. Each pattern family gets 1 MB
 * lines built to make backtracking patterns explode (long runs of the characters patterns
 * repeat, ending in a character that makes the match fail). A super-linear pattern takes
 * minutes on 1 MB; the bound below is generous for a loaded 2-core machine and still catches it.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkAddress, classifyBounce, detectFormat, FORMATS, HygieneError, parseBounces } from '../../src/index.js';
import { parseDeliveryStatus } from '../../src/bounces/formats/mail/dsn.js';
import { parseBounceBody } from '../../src/bounces/formats/mail/vendor-bodies.js';
import { sniffContactFile, readContactRows } from '../../src/contacts/reader.js';
import { parseSuppressionExport } from '../../src/state/suppression-import.js';

const SIZE = 1024 * 1024;
const BOUND_MS = 4_000;
/** Characters and tokens that patterns repeat (`\s+`, `[^@]+`, `\d+(\.\d+)*`, `<...>`, `x=...`). */
const SEEDS = [' ', 'a', '@', '.', '-', '<', '5.', 'a@', '=', '"', ',', '550 ', '\t', '('];
/** The run, then a character that makes an anchored or lookahead-style match fail at the very end. */
const adversarial = (seed: string) => `${seed.repeat(Math.ceil(SIZE / seed.length)).slice(0, SIZE)}!\u0001`;
const LINES = SEEDS.map((seed) => [seed, adversarial(seed)] as const);
/** CSV parsing costs most of the time on 1 MB; the seeds that matter for CSV-fed patterns. */
const CSV_LINES = LINES.filter(([seed]) => [' ', 'a', '@', '.', '"', ',', '5.', '<'].includes(seed));
const CSV_FORMATS = new Set(['powermta', 'mailchimp', 'generic-csv']);

async function timed(label: string, action: () => unknown): Promise<number> {
  const started = performance.now();
  try {
    await action();
  } catch (error) {
    // Refusing hostile input with a clear error is fine; crashing or taking long is not.
    if (!(error instanceof HygieneError)) throw error;
  }
  const elapsed = performance.now() - started;
  expect(elapsed, `${label} took ${Math.round(elapsed)} ms on 1 MB`).toBeLessThan(BOUND_MS);
  return elapsed;
}

const csvField = (text: string) => `"${text.replace(/"/g, '""')}"`;
const message = (text: string) => [
  'From: Mail Delivery System <MAILER-DAEMON@mx1.example.net>',
  'To: news@example.com',
  `Subject: Undelivered Mail Returned to Sender ${text}`,
  'Date: Mon, 23 Nov 2026 09:00:00 +0000',
  '',
  '<ann@example.org>: host mx.example.org[192.0.2.7] said:',
  `    ${text}`,
  '',
];

/** One delivery record per format, with the remote text where hostile bytes arrive. */
const TEMPLATES: readonly (readonly [string, (text: string) => string[]])[] = [
  [
    'postfix',
    (t) => [
      `Nov  2 10:00:01 mx1 postfix/smtp[7]: 4F2A11C0: to=<ann@example.org>, relay=mx.example.org[192.0.2.7]:25, delay=1, delays=0.1/0/0.5/0.4, dsn=5.0.0, status=bounced (host mx.example.org[192.0.2.7] said: ${t} (in reply to RCPT TO command))`,
    ],
  ],
  [
    'exim',
    (t) => [
      `2026-11-02 10:00:04 1j5NyY-0004Xp-NZ ** ann@example.org R=dnslookup T=remote_smtp: SMTP error from remote mail server after RCPT TO:<ann@example.org>: ${t}`,
    ],
  ],
  [
    'sendmail',
    (t) => [
      `Apr  2 00:15:25 mta001 sendmail[12566]: u31FFPtp032300: to=<ann@example.org>, delay=00:00:15, xdelay=00:00:15, mailer=esmtp, pri=34527, relay=mx.example.org. [192.0.2.40], dsn=5.1.1, stat=${t}`,
    ],
  ],
  [
    'qmail',
    (t) => [
      '@40000000692426a0075bcd15 starting delivery 1: msg 5 to remote ann@example.org',
      `@40000000692426a2075bcd15 delivery 1: failure: 192.0.2.7_does_not_like_recipient./Remote_host_said:_${t.replaceAll(' ', '_')}/Giving_up_on_192.0.2.7./`,
    ],
  ],
  [
    'powermta',
    (t) => [
      'type,timeLogged,orig,rcpt,dsnAction,dsnStatus,dsnDiag,dsnMta,bounceCat',
      `b,2026-11-02 10:00:25+0100,news@example.com,ann@example.org,failed,5.0.0 (undefined status),${csvField(`smtp;${t}`)},mx.example.org,bad-mailbox`,
    ],
  ],
  [
    'haraka',
    (t) => [
      `2026-11-02T10:01:08.400Z [NOTICE] [9A1F0E2C-4B3D-4E5F-8A7B-6C5D4E3F2A1B.1.3] [outbound] recipient <ann@example.org> deferred: ${t}`,
    ],
  ],
  [
    'ses',
    (t) => [
      JSON.stringify({
        notificationType: 'Bounce',
        bounce: {
          bounceType: 'Permanent',
          bounceSubType: 'General',
          bouncedRecipients: [{ emailAddress: 'ann@example.org', action: 'failed', status: '5.1.1', diagnosticCode: `smtp; ${t}` }],
          timestamp: '2026-11-02T10:00:00.000Z',
          reportingMTA: 'dsn; a4-12.smtp-out.example.com',
        },
        mail: { messageId: 'm1', timestamp: '2026-11-02T10:00:00.000Z' },
      }),
    ],
  ],
  [
    'sendgrid',
    (t) => [
      JSON.stringify([
        {
          email: 'ann@example.org',
          event: 'bounce',
          type: 'bounce',
          status: '5.1.1',
          reason: t,
          timestamp: 1795000000,
          sg_message_id: 'm1',
        },
      ]),
    ],
  ],
  [
    'mailgun',
    (t) => [
      JSON.stringify({
        'event-data': {
          event: 'failed',
          severity: 'permanent',
          recipient: 'ann@example.org',
          timestamp: 1795000000,
          reason: 'bounce',
          'delivery-status': { code: 550, message: t, description: '', 'enhanced-code': '5.1.1' },
          message: { headers: { 'message-id': 'm1@example.com' } },
        },
      }),
    ],
  ],
  [
    'postmark',
    (t) => [
      JSON.stringify({
        RecordType: 'Bounce',
        Type: 'HardBounce',
        TypeCode: 1,
        Email: 'ann@example.org',
        Details: t,
        Description: 'The server was unable to deliver your message',
        BouncedAt: '2026-11-02T10:00:00Z',
        MessageID: 'm1',
      }),
    ],
  ],
  [
    'resend',
    (t) => [
      JSON.stringify({
        type: 'email.bounced',
        created_at: '2026-11-02T10:00:00.000Z',
        data: { email_id: 'm1', to: ['ann@example.org'], bounce: { type: 'Permanent', subType: 'General', message: t } },
      }),
    ],
  ],
  [
    'sparkpost',
    (t) => [
      JSON.stringify([
        {
          msys: {
            message_event: {
              type: 'bounce',
              bounce_class: '10',
              rcpt_to: 'ann@example.org',
              raw_rcpt_to: 'ann@example.org',
              error_code: '550',
              raw_reason: t,
              reason: '550 5.1.1 user unknown',
              timestamp: '1795000000',
              message_id: 'm1',
            },
          },
        },
      ]),
    ],
  ],
  [
    'mandrill',
    (t) => [
      JSON.stringify([
        {
          event: 'hard_bounce',
          ts: 1795000000,
          _id: 'm1',
          msg: {
            _id: 'm1',
            email: 'ann@example.org',
            state: 'bounced',
            bounce_description: 'bad_mailbox',
            diag: `smtp;${t}`,
            ts: 1795000000,
          },
        },
      ]),
    ],
  ],
  [
    'mailchimp',
    (t) => ['Email Address,First Name,CLEAN_TIME,CLEAN_CAMPAIGN_TITLE', `ann@example.org,${csvField(t)},2026-11-02 10:00:00,November news`],
  ],
  ['generic-csv', (t) => ['email,status,diagnostic,timestamp', `ann@example.org,5.1.1,${csvField(t)},2026-11-02T10:00:00Z`]],
  ['generic-jsonl', (t) => [JSON.stringify({ email: 'ann@example.org', type: 'hard', status: '5.1.1', reason: t, time: 1795000000 })]],
  ['eml', (t) => message(t)],
  ['mbox', (t) => ['From MAILER-DAEMON Mon Nov 23 09:00:00 2026', ...message(t)]],
];

async function parseAll(format: string, lines: string[]) {
  const records = [];
  const bytes = Buffer.from(`${lines.join('\n')}\n`);
  async function* stream() {
    for (let at = 0; at < bytes.length; at += 64 * 1024) yield bytes.subarray(at, at + 64 * 1024);
  }
  for await (const record of parseBounces(stream(), { format, file: `hostile.${format}`, year: 2026 })) records.push(record);
  return records;
}

describe('pattern families on 1 MB adversarial lines', () => {
  it('every bounce format template reaches the record path (so the lines below go deep)', async () => {
    expect(TEMPLATES.map(([name]) => name).sort()).toEqual(FORMATS.map((format) => format.name).sort());
    for (const [format, template] of TEMPLATES) {
      const records = await parseAll(format, template('550 5.1.1 <ann@example.org>: user unknown'));
      expect(
        records.map((record) => record.recipient),
        format,
      ).toContain('ann@example.org');
    }
  });

  for (const [format, template] of TEMPLATES) {
    it(`${format}: detection, parsing and classification`, async () => {
      for (const [seed, text] of CSV_FORMATS.has(format) ? CSV_LINES : LINES) {
        const lines = template(text);
        await timed(`${format} parse ${JSON.stringify(seed)}`, () => parseAll(format, lines));
        await timed(`detect on ${format} ${JSON.stringify(seed)}`, () =>
          detectFormat(lines.join('\n').slice(0, 64 * 1024), `hostile.${format}`),
        );
      }
    });
  }

  it('the classifier: status and reply codes, phrase tables, provider texts', async () => {
    for (const [seed, text] of LINES) {
      await timed(`classifyBounce diagnostic ${JSON.stringify(seed)}`, () =>
        classifyBounce({ status: '5.0.0', smtpCode: '550', diagnostic: text, remoteMta: 'mx.example.org' }),
      );
      await timed(`classifyBounce remoteMta ${JSON.stringify(seed)}`, () =>
        classifyBounce({ status: null, smtpCode: null, diagnostic: `550 ${text}`, remoteMta: text }),
      );
    }
  });

  it('address syntax, repairs, typo domains and flags', async () => {
    for (const [seed, text] of LINES) {
      for (const address of [text, `${text}@example.com`, `ann@${text}`, `"${text}"@example.com`]) {
        await timed(`checkAddress ${JSON.stringify(seed)}`, () => checkAddress(address));
      }
    }
  });

  it('DSN fields and plain-text bounce bodies', async () => {
    for (const [seed, text] of LINES) {
      await timed(`parseDeliveryStatus ${JSON.stringify(seed)}`, () =>
        parseDeliveryStatus(
          `Reporting-MTA: dns; ${text}\n\nFinal-Recipient: rfc822; ${text}\nAction: failed\nStatus: 5.1.1\nDiagnostic-Code: smtp; ${text}\n`,
        ),
      );
      await timed(`parseBounceBody ${JSON.stringify(seed)}`, () =>
        parseBounceBody(`I'm sorry to have to inform you that your message could not be delivered.\n\n<ann@example.org>: ${text}\n`, {
          exclude: [],
        }),
      );
    }
  });

  describe('contact lists and suppression exports', () => {
    let dir: string;
    beforeAll(() => {
      dir = mkdtempSync(path.join(os.tmpdir(), 'hygiene-regex-'));
    });
    afterAll(() => {
      rmSync(dir, { recursive: true, force: true });
    });

    it('sniffing (encoding, delimiter, header, email column) and reading', async () => {
      for (const [seed, text] of CSV_LINES) {
        const file = path.join(dir, 'list.csv');
        writeFileSync(file, `name,email\n${csvField(text)},ann@example.com\n`);
        await timed(`contact list ${JSON.stringify(seed)}`, async () => {
          const info = await sniffContactFile(file, {});
          for await (const _row of readContactRows(info, {}, { raggedCount: 0, raggedLines: [], blankLines: 0 })) {
            // read every row
          }
        });
        writeFileSync(file, text);
        await timed(`contact header ${JSON.stringify(seed)}`, () => sniffContactFile(file, {}));
      }
    });

    it('suppression exports (CSV and plain lists)', async () => {
      for (const [seed, text] of CSV_LINES) {
        await timed(`suppression csv ${JSON.stringify(seed)}`, () =>
          parseSuppressionExport(`email,reason,created\nann@example.org,${csvField(text)},2026-11-02\n`, 'bounces.csv'),
        );
        await timed(`suppression list ${JSON.stringify(seed)}`, () => parseSuppressionExport(`ann@example.org\n${text}\n`, 'list.txt'));
      }
    });
  });
});
