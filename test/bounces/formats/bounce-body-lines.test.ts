import { describe, expect, it } from 'vitest';
import { parseBounceBody, type BounceBody } from '../../../src/bounces/formats/mail/vendor-bodies.js';
import { seededRandom } from '../../helpers.js';

/** Lines that start, name or end the parts of a bounce text, mixed at random below. */
const PIECES = [
  'Reporting-MTA: dns; mx.example',
  'Final-Recipient: rfc822; ann@example.org',
  '',
  '  ',
  '--- Below this line is a copy of the message.',
  'Return-Path: <x@y.example>',
  'Received: from a by b',
  'Message-ID: <1@x>',
  'From: Bob <bob@example.com>',
  'To: ann@example.org',
  'Subject: hi',
  '<ann@example.org>: 550 5.1.1 user unknown',
  'The following addresses had permanent fatal errors',
  '   ann',
  'Delivery attempts will continue',
  '\tfolded',
  'Original message follows',
  'COPY OF THE ORIGINAL MESSAGE',
  'Content-Type: message/rfc822',
  'undeliverable to carl@example.net',
];

describe('bounce texts read the same whatever their line ends', () => {
  it('gives the same body for LF, CRLF and CR lines', () => {
    const random = seededRandom(11);
    for (let round = 0; round < 3000; round++) {
      const lines: string[] = [];
      const count = 1 + Math.floor(random() * 10);
      for (let i = 0; i < count; i++) lines.push(PIECES[Math.floor(random() * PIECES.length)]!);
      const context = random() < 0.5 ? { exclude: ['bob@example.com'] } : {};
      const plain = comparable(parseBounceBody(lines.join('\n'), context));
      expect(comparable(parseBounceBody(lines.join('\r\n'), context)), JSON.stringify(lines)).toEqual(plain);
      expect(comparable(parseBounceBody(lines.join('\r'), context))).toEqual(plain);
    }
  });

  it('keeps the text after a marker on the first line as the original message', () => {
    const body = parseBounceBody('Reporting-MTA: dns; mx.example\nFinal-Recipient: rfc822; ann@example.org\n');
    expect(body.report).toBe('');
    expect(body.original).toBe('Final-Recipient: rfc822; ann@example.org\n');
  });
});

/** A body as plain data: what its `recognized()` answers in place of the function. */
function comparable(body: BounceBody): Omit<BounceBody, 'recognized'> & { recognized: boolean } {
  return { ...body, recognized: body.recognized() };
}
