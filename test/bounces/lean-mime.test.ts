/**
 * The lean MIME reader must give exactly what postal-mime gives for every message it reads
 * itself: the same fields message.ts uses, hence the same records and the same classifications.
 * Checked over every real message of the shared corpora (skipped, loudly, where absent), the
 * fixtures, and generated messages (base64, quoted-printable, encoded words, multipart trees).
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import PostalMime from 'postal-mime';
import type { Email } from 'postal-mime';
import { describe, expect, it, vi } from 'vitest';
import { classifyBounce } from '../../src/bounces/classify/index.js';
import { emlFormat } from '../../src/bounces/formats/eml.js';
import { mboxFormat } from '../../src/bounces/formats/mbox.js';
import { parseLeanMime } from '../../src/bounces/formats/mail/lean-mime.js';
import { parseText } from '../helpers.js';

/** Lets a test turn the lean reader off inside message.ts, so postal-mime reads every message. */
const switchboard = vi.hoisted(() => ({ lean: true }));
vi.mock('../../src/bounces/formats/mail/lean-mime.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../src/bounces/formats/mail/lean-mime.js')>();
  return { ...original, parseLeanMime: (input: Uint8Array) => (switchboard.lean ? original.parseLeanMime(input) : null) };
});

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '../..');
const POSTAL_OPTIONS = {
  attachmentEncoding: 'arraybuffer',
  forceRfc822Attachments: true,
  maxNestingDepth: 32,
  maxHeadersSize: 1024 * 1024,
} as const;
const WANTED =
  /^(?:message\/(?:delivery-status|global-delivery-status|feedback-report|rfc822|global|rfc822-headers|global-headers)|text\/rfc822-headers?|text\/plain)$/;

/** What message.ts reads of a parsed message, in a form `toEqual` compares fully. */
function essentials(email: Email): unknown {
  return {
    headers: email.headers.map((header) => [header.key, header.value]),
    from: email.from ?? null,
    to: email.to ?? null,
    subject: email.subject ?? null,
    date: email.date ?? null,
    returnPath: email.returnPath ?? null,
    deliveredTo: email.deliveredTo ?? null,
    inReplyTo: email.inReplyTo ?? null,
    text: email.text ?? null,
    html: email.text ? null : (email.html ?? null),
    attachments: email.attachments
      .filter((attachment) => WANTED.test(attachment.mimeType.toLowerCase().split(/[\s;]/, 1)[0] ?? ''))
      .map((attachment) => ({
        mimeType: attachment.mimeType,
        disposition: attachment.disposition ?? null,
        content: Buffer.from(attachment.content as ArrayBuffer).toString('latin1'),
      })),
  };
}

/** Lean and postal-mime agree on `bytes`; returns whether the lean reader read it itself. */
async function expectSameEmail(bytes: Uint8Array, nested = true): Promise<boolean> {
  const postal = await PostalMime.parse(bytes, POSTAL_OPTIONS);
  // message.ts reads an attached message too (a forwarded bounce), with the same reader.
  if (nested) {
    for (const attachment of postal.attachments) {
      if (attachment.mimeType === 'message/rfc822') await expectSameEmail(new Uint8Array(attachment.content as ArrayBuffer), false);
    }
  }
  const lean = parseLeanMime(bytes);
  if (lean === null) return false;
  expect(essentials(lean)).toEqual(essentials(postal));
  return true;
}

/** The message as the eml format hands it on: latin1 lines joined with LF. */
function asRead(bytes: Buffer): Buffer {
  return Buffer.from(bytes.toString('latin1').split(/\r?\n/).join('\n'), 'latin1');
}

function messageFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith('.eml'))
    .sort()
    .map((name) => path.join(dir, name));
}

async function classifiedItems(file: string, lean: boolean): Promise<unknown[]> {
  switchboard.lean = lean;
  try {
    const text = readFileSync(file).toString('latin1');
    const format = file.endsWith('.mbox') ? mboxFormat : emlFormat;
    const items = await parseText(format, text, { file: path.basename(file) });
    return items.map((item) => (item.kind === 'record' ? { ...item, classification: classifyBounce(item.record) } : item));
  } finally {
    switchboard.lean = true;
  }
}

const corpora = [
  { name: 'dsn', dir: path.resolve(repo, '../shared/corpus/dsn/emails') },
  { name: 'cws', dir: path.resolve(repo, '../shared/corpus/cws/emails') },
];

describe('lean MIME reader on real messages', () => {
  const fixtures = [...messageFiles(path.join(repo, 'fixtures/bounces/eml')), path.join(repo, 'fixtures/bounces/mbox/bounces.mbox')];

  it('gives the same records and classifications as postal-mime on the fixtures', async () => {
    for (const file of fixtures) {
      expect({ file, items: await classifiedItems(file, true) }).toEqual({ file, items: await classifiedItems(file, false) });
    }
  });

  for (const corpus of corpora) {
    const present = existsSync(corpus.dir);
    if (!present) {
      console.warn(`\n*** lean MIME equivalence: ../shared/corpus/${corpus.name} is absent; its messages are NOT compared ***\n`);
    }
    it.skipIf(!present)(`gives the same records and classifications as postal-mime on every ${corpus.name} corpus message`, async () => {
      const files = messageFiles(corpus.dir);
      expect(files.length).toBeGreaterThan(50);
      for (const file of files) {
        expect({ file, items: await classifiedItems(file, true) }).toEqual({ file, items: await classifiedItems(file, false) });
      }
    });

    it.skipIf(!present)(`parses every ${corpus.name} corpus message it reads itself exactly as postal-mime does`, async () => {
      let lean = 0;
      const files = messageFiles(corpus.dir);
      for (const file of files) {
        const bytes = readFileSync(file);
        // As the CLI hands it over, and as raw CRLF bytes a library caller may pass.
        if (await expectSameEmail(asRead(bytes))) lean++;
        await expectSameEmail(bytes);
      }
      // The reader is only worth having if it reads nearly all real bounces itself.
      console.log(`lean MIME reader: ${lean} of ${files.length} ${corpus.name} messages read without postal-mime`);
      expect(lean / files.length).toBeGreaterThan(0.85);
    });
  }
});

// ---------------------------------------------------------------------------------------------
// Generated messages

const bytesArb = fc.uint8Array({ maxLength: 600 });
/** Text that stresses the decoders: '=' signs, hex-looking pairs, spaces at line ends, non-ASCII. */
const trickyText = fc.stringMatching(/^(?:[a-zA-Z0-9 =\t.<>@;:]|=[0-9A-Fa-f]{2}|=\n|\n| \n|é|—|€|日本){0,120}$/);

function wrap(text: string, width: number): string {
  const lines: string[] = [];
  for (let at = 0; at < text.length; at += width) lines.push(text.slice(at, at + width));
  return lines.join('\n');
}

function dsnMessage(partHeaders: string, body: string, newline = '\n'): Buffer {
  const text = [
    'From: Mail Delivery System <MAILER-DAEMON@mx.example.org>',
    'To: sender@example.com',
    'Subject: Undelivered Mail Returned to Sender',
    'Date: Mon, 3 Mar 2025 10:00:00 +0000',
    'MIME-Version: 1.0',
    'Content-Type: multipart/report; report-type=delivery-status; boundary="BOUNDARY-1"',
    '',
    'This is a MIME-encapsulated message.',
    '',
    '--BOUNDARY-1',
    'Content-Type: text/plain; charset=us-ascii',
    '',
    'The mail system could not deliver your message.',
    '',
    '--BOUNDARY-1',
    partHeaders,
    '',
    body,
    '--BOUNDARY-1--',
    '',
  ].join('\n');
  return Buffer.from(newline === '\n' ? text : text.replaceAll('\n', newline), 'latin1');
}

describe('lean MIME reader on generated messages', () => {
  it('decodes base64 (any bytes, any wrapping, stray characters and padding) as postal-mime does', async () => {
    await fc.assert(
      fc.asyncProperty(
        bytesArb,
        fc.integer({ min: 1, max: 90 }),
        fc.constantFrom('', '=', '==', ' !', '\t', '=ab', '*'),
        fc.boolean(),
        async (bytes, width, noise, crlf) => {
          const encoded = wrap(Buffer.from(bytes).toString('base64'), width);
          const body = encoded.length > 10 ? `${encoded.slice(0, 7)}${noise}${encoded.slice(7)}` : encoded;
          const message = dsnMessage(
            'Content-Type: message/delivery-status\nContent-Transfer-Encoding: base64',
            body,
            crlf ? '\r\n' : '\n',
          );
          expect(await expectSameEmail(message)).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('decodes quoted-printable (escapes, soft breaks, broken escapes, charsets) as postal-mime does', async () => {
    await fc.assert(
      fc.asyncProperty(trickyText, fc.constantFrom('utf-8', 'iso-8859-1', 'windows-1252', 'us-ascii', 'UTF-8'), async (text, charset) => {
        const body = Buffer.from(text, charset.toLowerCase() === 'utf-8' ? 'utf8' : 'latin1').toString('latin1');
        const message = dsnMessage(`Content-Type: text/plain; charset="${charset}"\nContent-Transfer-Encoding: quoted-printable`, body);
        expect(await expectSameEmail(message)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('decodes every charset it knows with the decoder postal-mime picks for that label', async () => {
    const everyByte = Buffer.from(Array.from({ length: 224 }, (_, i) => i + 32)).toString('latin1');
    const charsets = [
      'utf-8',
      'utf8',
      'us-ascii',
      'ascii',
      'iso-8859-1',
      'latin1',
      'windows-1252',
      'cp1252',
      'iso-8859-2',
      'iso-8859-4',
      'iso-8859-5',
      'iso-8859-7',
      'iso-8859-8',
      'iso-8859-9',
      'iso-8859-13',
      'iso-8859-15',
      'windows-1250',
      'windows-1251',
      'windows-1255',
      'windows-1256',
      'windows-1257',
      'windows-874',
      'koi8-r',
      'koi8-u',
      'iso-2022-jp',
      'shift_jis',
      'euc-jp',
      'euc-kr',
      'gb2312',
      'gbk',
      'gb18030',
      'big5',
    ];
    for (const charset of charsets) {
      const message = dsnMessage(`Content-Type: text/plain; charset=${charset.toUpperCase()}`, wrap(everyByte, 60));
      expect({ charset, lean: await expectSameEmail(message) }).toEqual({ charset, lean: true });
    }
  });

  it('unwraps format=flowed text (with and without DelSp) as postal-mime does', async () => {
    const flowed = fc.stringMatching(/^(?:[a-z]{1,8}| | {2}|\n|-- \n| \n|> ){0,60}$/);
    await fc.assert(
      fc.asyncProperty(flowed, fc.constantFrom('', '; delsp=yes', '; DelSp="no"'), async (text, delsp) => {
        const message = dsnMessage(`Content-Type: text/plain; charset=utf-8; format=flowed${delsp}`, text);
        expect(await expectSameEmail(message)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('reads RFC 2047 encoded words in Subject, From and To as postal-mime does', async () => {
    const word = fc.tuple(
      fc.string({ maxLength: 30 }),
      fc.constantFrom('B', 'Q', 'b', 'q'),
      fc.constantFrom('utf-8', 'iso-8859-1', 'UTF-8'),
    );
    await fc.assert(
      fc.asyncProperty(word, word, async ([subject, subjectEncoding, subjectCharset], [name, nameEncoding, nameCharset]) => {
        const encode = (text: string, encoding: string, charset: string): string => {
          const bytes = Buffer.from(text, charset.toLowerCase() === 'utf-8' ? 'utf8' : 'latin1');
          const payload =
            encoding.toUpperCase() === 'B'
              ? bytes.toString('base64')
              : [...bytes].map((byte) => `=${byte.toString(16).toUpperCase().padStart(2, '0')}`).join('');
          return `=?${charset}?${encoding}?${payload}?=`;
        };
        const message = Buffer.from(
          [
            `From: ${encode(name, nameEncoding, nameCharset)} <postmaster@mx.example.org>`,
            `To: ${encode(name, nameEncoding, nameCharset)}\n <ann@example.com>, bob@example.com`,
            `Subject: ${encode(subject, subjectEncoding, subjectCharset)}\n\t${encode(subject, subjectEncoding, subjectCharset)}`,
            'Date: not a date',
            '',
            'body',
          ].join('\n'),
          'latin1',
        );
        expect(await expectSameEmail(message)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('walks multipart trees (nesting, alternatives, preambles, broken and missing terminators) as postal-mime does', async () => {
    type Tree = { leaf: string } | { kind: string; children: Tree[]; terminate: boolean };
    const leaf = fc.constantFrom(
      'Content-Type: text/plain; charset="us-ascii"; name="a (b).txt"\n\nquoted parenthesis\n',
      'Content-Type: text/plain; charset=us-ascii (comment)\n\ncomment\n',
      'Content-Type: text/plain\n\nplain text\n',
      'Content-Type: text/html; charset=utf-8\n\n<p>html <b>text</b></p>\n',
      'Content-Type: message/delivery-status\n\nReporting-MTA: dns; mx.example.org\n\nFinal-Recipient: rfc822; ann@example.com\nAction: failed\nStatus: 5.1.1\n',
      'Content-Type: text/rfc822-headers\n\nTo: ann@example.com\nMessage-ID: <1@example.com>\n',
      'Content-Type: message/rfc822\nContent-Disposition: attachment\n\nFrom: a@example.com\nSubject: hi\n\nhello\n',
      'Content-Type: application/pdf\nContent-Transfer-Encoding: base64\n\nJVBERi0=\n',
      'Content-Type: text/plain; charset=iso-8859-1\nContent-Transfer-Encoding: quoted-printable\n\ncaf=E9 =\nsoft\n',
      'Content-Disposition: attachment\n\nattached text\n',
      '\nno headers at all\n',
      'Content-Type: text/plain\n',
    );
    const tree: fc.Arbitrary<Tree> = fc.letrec<{ tree: Tree }>((tie) => ({
      tree: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        leaf.map((text) => ({ leaf: text })),
        fc.record({
          kind: fc.constantFrom('mixed', 'alternative', 'report; report-type=delivery-status', 'digest', 'related'),
          children: fc.array(tie('tree'), { maxLength: 4 }),
          terminate: fc.boolean(),
        }),
      ),
    })).tree;
    let counter = 0;
    const render = (node: Tree): string => {
      if ('leaf' in node) return node.leaf;
      const boundary = `b${++counter}=_(x)`;
      const children = node.children.map((child) => `--${boundary}\n${render(child)}`).join('');
      return `Content-Type: multipart/${node.kind}; boundary="${boundary}"\n\npreamble\n${children}${node.terminate ? `--${boundary}--\n` : ''}epilogue\n`;
    };
    await fc.assert(
      fc.asyncProperty(tree, async (root) => {
        counter = 0;
        const message = Buffer.from(`From: postmaster@mx.example.org\nSubject: Delivery Status Notification\n${render(root)}`, 'utf8');
        await expectSameEmail(message);
      }),
      { numRuns: 300 },
    );
  });
});
