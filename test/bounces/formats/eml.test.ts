import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { classifyBounce } from '../../../src/bounces/classify/index.js';
import { emlFormat } from '../../../src/bounces/formats/eml.js';
import { parseMessage } from '../../../src/bounces/formats/mail/message.js';
import { parseBounceBody } from '../../../src/bounces/formats/mail/vendor-bodies.js';
import { parseRecords, parseText } from '../../helpers.js';

const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../fixtures/bounces/eml');

/** A fixture as hygiene hands it to a rawBytes parser: every byte one latin1 character. */
function fixture(name: string): string {
  return readFileSync(path.join(fixtures, name)).toString('latin1');
}

async function classified(name: string) {
  const records = await parseRecords(emlFormat, fixture(name), { file: `bounces/${name}` });
  return records.map((record) => ({ ...record, ...classifyBounce(record) }));
}

describe('eml detection', () => {
  it('recognises a message by its header lines', () => {
    expect(emlFormat.detect(fixture('postfix-dsn.eml'), 'bounce.eml')).toBeGreaterThanOrEqual(0.9);
    expect(emlFormat.detect(fixture('qmail-plain.eml'), 'msg')).toBeGreaterThanOrEqual(0.7);
  });

  it('leaves mailboxes, logs and CSV to other parsers', () => {
    expect(emlFormat.detect('From MAILER-DAEMON Tue Mar 11 09:00:24 2025\nReturn-Path: <>\n', 'x.mbox')).toBe(0);
    expect(emlFormat.detect('Dec 11 10:00:24 mx1 postfix/smtp[676]: 3893C1102DD6: to=<ann@example.org>, status=sent\n', 'maillog')).toBe(0);
    expect(emlFormat.detect('email,reason,status\nann@example.org,bounce,5.1.1\n', 'bounces.csv')).toBe(0);
  });
});

describe('eml: delivery status reports', () => {
  it('gives one record per recipient group, with the reply, stage and original Message-ID', async () => {
    const records = await classified('postfix-dsn.eml');
    expect(records.map((record) => [record.recipient, record.class, record.reason, record.status, record.source])).toEqual([
      ['ann@example.org', 'hard', 'userunknown', '5.1.1', 'bounces/postfix-dsn.eml#1'],
      ['bob@example.net', 'soft', 'mailboxfull', '5.2.2', 'bounces/postfix-dsn.eml#2'],
    ]);
    expect(records[0]).toMatchObject({
      action: 'failed',
      smtpCode: '550',
      command: 'RCPT',
      remoteMta: 'mx.example.org',
      queueId: '3893C1102DD6',
      messageKey: 'march-2025.0042@news.example.com',
      // No Last-Attempt-Date for this recipient: the report's Arrival-Date, in UTC.
      at: '2025-03-11T08:59:58.000Z',
      diagnostic: '550 5.1.1 <ann@example.org>: Recipient address rejected: User unknown in virtual mailbox table',
    });
    expect(records[1]).toMatchObject({ command: 'DATA', at: '2025-03-11T09:00:23.000Z' });
  });

  it('reads a report written with bare CR line ends', async () => {
    const records = await classified('sendmail-cr-only.eml');
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({
      recipient: 'ivy@example.org',
      class: 'hard',
      reason: 'hostunknown',
      messageKey: '202509030205.583256ab012340@news.example.com',
      at: '2025-09-03T02:05:06.000Z',
    });
  });
});

describe('eml: plain-text bounces', () => {
  it('finds each recipient of a qmail bounce and the text about it', async () => {
    const records = await classified('qmail-plain.eml');
    expect(records.map((record) => [record.recipient, record.reason, record.class])).toEqual([
      ['carol@example.org', 'userunknown', 'hard'],
      ['dave@example.net', 'hostunknown', 'hard'],
    ]);
    expect(records[0]!.diagnostic).toContain('550 5.1.1 <carol@example.org>: No such user here');
    expect(records[0]!.messageKey).toBe('20250402061239.4409.qmail@mail.example.com');
  });

  it('decodes a base64 body (Exim bounce)', async () => {
    const records = await classified('exim-base64.eml');
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ recipient: 'gina@example.org', reason: 'mailboxfull', class: 'soft', command: 'RCPT' });
    expect(records[0]!.diagnostic).toContain('550 5.2.2 <gina@example.org>: Mailbox quota exceeded');
  });

  it('decodes a quoted-printable body (Gmail failure notice) and joins soft line breaks', async () => {
    const records = await classified('gmail-quoted-printable.eml');
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ recipient: 'hugo@example.org', reason: 'spamdetected', class: 'block', status: '5.7.1' });
    expect(records[0]!.diagnostic).toContain('likely unsolicited mail');
  });

  it('reads an ISO-2022-JP body', async () => {
    const records = await classified('iso-2022-jp.eml');
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ recipient: 'jun@example.jp', reason: 'userunknown', status: '5.1.1' });
    expect(records[0]!.diagnostic).toContain('User unknown');
  });
});

describe('plain-text bounce bodies: a transcript above the recipient', () => {
  it("reads InterScan's session lines (Sent <<< / Received >>>) above its list of recipients as that recipient's reply", () => {
    const body = [
      '****** Message from InterScan Messaging Security Suite ******',
      '',
      'Sent <<< RCPT TO:<ann@example.be>',
      'Received >>> 550 5.1.1 unknown user.',
      '',
      'Unable to deliver message to <ann@example.be> (and other recipients in the same domain).',
      '',
    ].join('\n');
    const [failure] = parseBounceBody(body).failures;
    expect(failure?.recipient).toBe('ann@example.be');
    expect(failure?.diagnostic).toMatch(/^Sent <<< RCPT TO:<ann@example\.be> Received >>> 550 5\.1\.1 unknown user\. Unable to deliver/);
  });
});

describe('plain-text bounce bodies: the reason above the recipients', () => {
  it("gives MailMarshal's reply, quoted above the line that announces the list, to every recipient listed", () => {
    const body = [
      'Your message:',
      '   From:    news@example.com',
      '   Subject: Offer',
      '',
      'Could not be delivered because of',
      '',
      '550 5.1.1 User unknown',
      '',
      'The following recipients were affected: ',
      '   ann@example.org',
      '   bob@example.org',
      '',
      'Additional Information',
      '======================',
      'Original Sender:    <news@example.com>',
    ].join('\n');
    const failures = parseBounceBody(body).failures;
    expect(failures.map((failure) => failure.recipient)).toEqual(['ann@example.org', 'bob@example.org']);
    for (const failure of failures) expect(failure.diagnostic).toMatch(/^550 5\.1\.1 User unknown/);
  });

  it("reads Notes' failure reason on the line above the recipient it names", () => {
    const body = [
      '------- Failure Reasons  --------',
      '',
      'User not listed in public Name & Address Book',
      'ann@notes.example.org',
      '',
    ].join('\n');
    const [failure] = parseBounceBody(body).failures;
    expect(failure?.recipient).toBe('ann@notes.example.org');
    expect(failure?.diagnostic).toContain('User not listed in public Name & Address Book');
  });

  it("keeps the words between two recipients the earlier one's", () => {
    const body = [
      'Unable to deliver message to the following address(es).',
      '',
      '<ann@example.org>:',
      "This user doesn't have a example.org account (ann@example.org) [0]",
      '',
      '<bob@example.org>:',
      'Sorry your message to bob@example.org cannot be delivered. This account has been disabled or discontinued [#102].',
    ].join('\n');
    const [, bob] = parseBounceBody(body).failures;
    expect(bob?.diagnostic).toMatch(/^Sorry your message to bob@example\.org/);
  });
});

describe('eml: complaints and auto-replies', () => {
  it('turns an ARF report into a complaint for the reported recipient', async () => {
    const records = await classified('arf-complaint.eml');
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({
      recipient: 'erin@example.org',
      feedbackType: 'abuse',
      class: 'complaint',
      reason: 'feedback',
      messageKey: 'may-2025.0007@news.example.com',
      at: '2025-05-05T11:58:00.000Z',
    });
  });

  it('lists a feedback report that names no recipient as unparsed, never passes it over', async () => {
    const text = [
      'From: <abuse-reports@isp.example>',
      'To: <abuse@example.com>',
      'Subject: Abuse report',
      'Date: Thu, 7 Aug 2025 09:00:00 +0000',
      'MIME-Version: 1.0',
      'Content-Type: multipart/report; report-type=feedback-report; boundary="b1"',
      '',
      '--b1',
      'Content-Type: text/plain',
      '',
      'This is an email abuse report for a message received from IP 192.0.2.2.',
      '--b1',
      'Content-Type: message/feedback-report',
      '',
      'Feedback-Type: abuse',
      'Version: 1',
      '--b1',
      'Content-Type: message/rfc822',
      '',
      'From: <news@example.com>',
      'To: <Undisclosed Recipients>',
      'Subject: March news',
      '',
      'Hello.',
      '--b1--',
    ].join('\n');
    expect(await parseText(emlFormat, text)).toEqual([
      { kind: 'malformed', line: 1, message: 'a complaint (feedback report) that names no recipient' },
    ]);
  });

  it("reads Exchange's non-delivery report by its subject in the sender's language, or by Exchange's own sender", async () => {
    const report = (from: string, subject: string) =>
      [
        `From: Microsoft Outlook <${from}>`,
        'To: sender@contoso.example',
        `Subject: =?utf-8?b?${Buffer.from(subject).toString('base64')}?=`,
        'Date: Mon, 30 Nov 2026 10:15:00 +0000',
        'Content-Type: text/plain; charset=utf-8',
        '',
        'ann.lee@fabrikam.example',
        "Remote Server returned '550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient ann.lee@fabrikam.example not found by SMTP address lookup'",
      ].join('\n');
    const subjects = [
      'Onbestelbaar: Offerte',
      'No se puede entregar: Oferta',
      'Não é possível entregar: Oferta',
      'Kan inte levereras: Erbjudande',
      'Kan ikke leveres: Tilbud',
      'Ei voitu toimittaa: Tarjous',
      'Niedostarczalne: Oferta',
      'Nedoručitelné: Nabídka',
      'Kézbesíthetetlen: Ajánlat',
      'Недоставляемое сообщение: Предложение',
      '配信不能: ご提案',
      '无法投递: 报价',
    ];
    for (const subject of subjects) {
      const items = await parseText(emlFormat, report('it@contoso.example', subject));
      expect(
        items.map((item) => (item.kind === 'record' ? item.record.recipient : item.kind)),
        subject,
      ).toEqual(['ann.lee@fabrikam.example']);
    }
    const bySender = await parseText(emlFormat, report('MicrosoftExchange329e71ec88ae4615bbc36ab6ce41109e@contoso.example', 'Offerte'));
    expect(bySender.map((item) => item.kind)).toEqual(['record']);
    // The same words inside an ordinary subject say nothing.
    expect((await parseText(emlFormat, report('it@contoso.example', 'Re: why it was onbestelbaar'))).map((item) => item.kind)).toEqual([
      'skipped',
    ]);
  });

  it('reads an automatic reply by its subject in the languages Outlook writes it, without an Auto-Submitted header', async () => {
    const subjects = [
      'Automatic reply: Offer',
      'Automatische Antwort: Angebot',
      'Réponse automatique : Offre',
      'Respuesta automática: Oferta',
      'Resposta automática: Oferta',
      'Risposta automatica: Offerta',
      'Automatisch antwoord: Aanbieding',
      'Afwezig: Aanbieding',
      'Automatiskt svar: Erbjudande',
      'Automatisk svar: Tilbud',
      'Automaattinen vastaus: Tarjous',
      'Automatyczna odpowiedź: Oferta',
      'Automatická odpověď: Nabídka',
      'Automatikus válasz: Ajánlat',
      'Otomatik yanıt: Teklif',
      'Автоответ: Предложение',
      '自动回复: 报价',
      '자동 회신: 제안',
    ];
    for (const subject of subjects) {
      const text = [
        'From: Ann Lee <ann@example.org>',
        'To: news@example.com',
        `Subject: =?utf-8?b?${Buffer.from(subject).toString('base64')}?=`,
        'Date: Mon, 30 Nov 2026 10:15:00 +0000',
        'Content-Type: text/plain; charset=utf-8',
        '',
        'Back on 10 December.',
      ].join('\n');
      const items = await parseText(emlFormat, text);
      expect(
        items.map((item) => (item.kind === 'record' ? item.record.autoReply : item.kind)),
        subject,
      ).toEqual([true]);
    }
  });

  it('turns an out-of-office reply into an auto-reply for its sender', async () => {
    const records = await classified('auto-reply.eml');
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ recipient: 'frank@example.org', autoReply: true, class: 'auto-reply', reason: 'vacation' });
  });
});

describe('eml: what is not a bounce', () => {
  it('skips an ordinary message, addresses in its text notwithstanding', async () => {
    const text = [
      'Return-Path: <partner@example.net>',
      'From: Partner <partner@example.net>',
      'To: news@example.com',
      'Subject: Lunch next week?',
      'Date: Thu, 7 Aug 2025 09:00:00 +0000',
      'Message-ID: <lunch-1@example.net>',
      '',
      'Are you free on Tuesday? Write to me at partner@example.net.',
      '<ann@example.org>: she is coming too.',
    ].join('\r\n');
    expect(await parseText(emlFormat, text)).toEqual([{ kind: 'skipped', line: 1 }]);
  });

  it('skips a list reply that quotes the word "undeliverable": no failure for the list or the To', async () => {
    const text = [
      'From: "Tony" <tony@example.net>',
      'To: carlo@example.org',
      'Cc: talk@lists.example.com',
      'Subject: Re: [talk] Getting yourself removed from spam lists',
      'Date: Fri, 13 Sep 2002 15:04:11 +0100',
      '',
      'On Fri, 13 Sep 2002 carlo@example.org wrote:',
      '',
      '> What do spammers do with email addresses in',
      '> their database that are undeliverable for a',
      '> few years?  Do they still continue to spam',
      '> them?',
      '',
      'Yes.',
      '',
      '_______________________________________________',
      'Talk mailing list',
      'Talk@lists.example.org',
      'https://lists.example.org/listinfo/talk',
    ].join('\n');
    expect(await parseText(emlFormat, text)).toEqual([{ kind: 'skipped', line: 1 }]);
  });

  it('skips a news item whose subject says something was rejected', async () => {
    const text = [
      'From: newscientist <rssfeeds@example.com>',
      'To: reader@example.org',
      'Subject: Plan to recover nuclear gas rejected',
      'Date: Mon, 7 Oct 2002 08:00:00 +0000',
      '',
      'URL: http://www.example.com/news/1',
      'A plan was rejected by the council.',
    ].join('\n');
    expect(await parseText(emlFormat, text)).toEqual([{ kind: 'skipped', line: 1 }]);
  });

  it('still takes "your email ... has been rejected" or "Message rejected" for a bounce subject', async () => {
    for (const subject of ['Your email to ann@example.org has been rejected', 'Message rejected', 'Rejected: Quarterly offer']) {
      const text = `From: notifier@mx.example.com\nTo: sender@example.com\nSubject: ${subject}\n\nSomething went wrong.\n`;
      expect(await parseText(emlFormat, text), subject).toEqual([
        { kind: 'malformed', line: 1, message: 'a bounce message that names no recipient' },
      ]);
    }
  });

  it('still reads a bounce that only its text calls one when that text is not quoted', async () => {
    const text = [
      'From: no-reply@mail.example.jp',
      'To: sender@example.com',
      'Subject: Mail',
      'Date: Mon, 7 Oct 2002 08:00:00 +0000',
      '',
      'Your message could not be delivered to the following recipient:',
      '',
      '<ann@example.jp>: 550 5.1.1 User unknown',
    ].join('\n');
    const items = await parseText(emlFormat, text);
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ kind: 'record', record: { recipient: 'ann@example.jp' } });
  });

  it('reports a bounce that names no recipient as malformed', async () => {
    const text = 'From: MAILER-DAEMON@mx.example.com\nSubject: Undelivered Mail Returned to Sender\n\nSomething went wrong.\n';
    const items = await parseText(emlFormat, text);
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ kind: 'malformed', line: 1 });
  });

  it('reports text that is not a message as malformed instead of throwing', async () => {
    const items = await parseMessage(Buffer.from('\u0000\u0001 not a message'), 'junk.eml');
    expect(items[0]?.kind).toBe('malformed');
  });

  it('yields nothing for an empty input', async () => {
    expect(await parseText(emlFormat, '')).toEqual([]);
  });
});

describe('plain-text bounce bodies on hostile input', () => {
  it('reads a body with very many address lines in linear time, and caps the recipients', () => {
    const body = Array.from({ length: 100_000 }, (_, i) => `<u${i}@example.org>: 550 user unknown`).join('\n');
    const started = performance.now();
    const result = parseBounceBody(body);
    expect(result.failures).toHaveLength(1000);
    expect(performance.now() - started).toBeLessThan(5000);
  });

  it('reads one enormous line quickly', () => {
    const started = performance.now();
    parseBounceBody(`${'a@'.repeat(1_000_000)}\n${'x'.repeat(3_000_000)}`);
    expect(performance.now() - started).toBeLessThan(5000);
  });
});
