import { headerWhere, type LintRule, type RuleFinding } from '../view.js';

const REQUIRED = ['from', 'date', 'message-id'];
/** RFC 5322 3.6: these fields may appear at most once. */
const AT_MOST_ONCE = ['from', 'sender', 'reply-to', 'to', 'cc', 'bcc', 'message-id', 'in-reply-to', 'references', 'subject', 'date'];
const DISPLAY: Record<string, string> = { from: 'From', date: 'Date', 'message-id': 'Message-ID' };
const MAX_LINE = 998;

export const headers: LintRule = {
  id: 'headers',
  summary:
    'missing or duplicate From, Date, Message-ID; header lines over 998 characters; unencoded 8-bit headers; a From without a domain',
  check(view) {
    const { message } = view;
    const findings: RuleFinding[] = [];
    if (message.kind === 'eml') {
      for (const key of REQUIRED) {
        if (message.fields.some((field) => field.key === key)) continue;
        findings.push({
          severity: 'error',
          where: { area: 'header', name: DISPLAY[key]! },
          message: `the message has no ${DISPLAY[key]} header; RFC 5322 requires it and Gmail rejects or junks mail without it`,
          fix: `Have the sending system add a ${DISPLAY[key]} header${key === 'message-id' ? ' (<unique-id@your.domain>)' : ''}.`,
        });
      }
      for (const key of AT_MOST_ONCE) {
        const count = message.fields.filter((field) => field.key === key).length;
        if (count < 2) continue;
        findings.push({
          severity: 'error',
          where: headerWhere(view, key),
          message: `the ${message.fields.find((field) => field.key === key)!.name} header appears ${count} times; RFC 5322 allows it once and Gmail rejects such mail`,
          fix: 'Keep one; check that the template and the sending system do not both add it.',
        });
      }
      for (const field of message.fields) {
        const longest = Math.max(...field.rawLines.map((line) => line.length));
        if (longest > MAX_LINE) {
          findings.push({
            severity: 'error',
            where: headerWhere(view, field.key),
            message: `a line of the ${field.name} header is ${longest} characters; RFC 5322 allows at most ${MAX_LINE}, servers break or refuse longer lines`,
            fix: 'Fold long header values over several lines (a line break followed by a space).',
          });
        }
        if (field.rawLines.some((line) => line.some((byte) => byte >= 0x80))) {
          findings.push({
            severity: 'warning',
            where: headerWhere(view, field.key),
            message: `the ${field.name} header has unencoded 8-bit characters; servers without SMTPUTF8 garble or refuse it`,
            fix: 'Encode non-ASCII header text as RFC 2047 encoded words (=?UTF-8?B?...?=); mail libraries do this for you.',
            evidence: Buffer.concat(field.rawLines).toString('utf8').slice(0, 120),
          });
        }
      }
    }
    const from = message.from[0];
    if (from && (message.kind === 'template' || message.fields.some((field) => field.key === 'from'))) {
      const at = from.address.lastIndexOf('@');
      const domain = at === -1 ? '' : from.address.slice(at + 1);
      if (!/^[^.\s]+(\.[^.\s]+)+$/.test(domain)) {
        findings.push({
          severity: 'error',
          where: message.kind === 'template' ? { area: 'header', name: 'From' } : headerWhere(view, 'from'),
          message: `the From address "${from.address || from.name}" has no domain; receivers cannot check SPF, DKIM or DMARC against it`,
          fix: 'Send from an address on your own domain (news@your.domain).',
          evidence: from.address || from.name,
        });
      }
    } else if (message.kind === 'template') {
      findings.push({
        severity: 'error',
        where: { area: 'header', name: 'From' },
        message: 'the --from address cannot be read as an address',
        fix: 'Give --from like "Shop <news@shop.example>".',
      });
    }
    return findings;
  },
};
