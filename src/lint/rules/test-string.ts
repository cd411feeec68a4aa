import { lineAtOffset, locatePlainText } from '../html.js';
import { bodyWhere, headerWhere, type LintRule, type RuleFinding } from '../view.js';
import type { Where } from '../types.js';

/**
 * The strings that exist only to test filters: a message that holds one is refused or junked
 * outright, whatever else it says. Left in a campaign after a filter test, or pasted from a
 * how-to, they fail the whole send.
 */
const TEST_STRINGS: ReadonlyArray<{ name: string; pattern: RegExp; message: string }> = [
  {
    // SpamAssassin's GTUBE, and the variants of it rspamd reads for its other actions.
    name: 'GTUBE',
    pattern: /XJS\*C4JDBQADN1\.NSBN3\*2IDNEN\*GTUBE-STANDARD-ANTI-UBE-TEST-[A-Z-]{1,40}\*C\.34X/,
    message: 'the GTUBE spam-filter test string; SpamAssassin, rspamd and most filters reject or junk the message outright',
  },
  {
    name: 'EICAR',
    pattern: /X5O!P%@AP\[4\\PZX54\(P\^\)7CC\)7\}\$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!\$H\+H\*/,
    message: 'the EICAR anti-virus test string; virus scanners reject the message as infected (a virusdetected bounce)',
  },
];

export const testString: LintRule = {
  id: 'test-string',
  summary: 'the GTUBE spam test string or the EICAR anti-virus test string, anywhere in the subject or the parts (hidden HTML too)',
  check(view) {
    const findings: RuleFinding[] = [];
    // Filters read the source, not what a reader sees: hidden HTML counts.
    const places: Array<[text: string | null, where: (offset: number) => Where, label: string]> = [
      [view.message.subject, () => headerWhere(view, 'subject'), 'the subject'],
      [
        view.message.text,
        (offset) => bodyWhere(view, 'text/plain', lineAtOffset(locatePlainText(view.message.text!), offset)),
        'the text part',
      ],
      [view.message.html, (offset) => bodyWhere(view, 'text/html', lineAtOffset(locatePlainText(view.message.html!), offset)), 'the HTML'],
    ];
    for (const { name, pattern, message } of TEST_STRINGS) {
      for (const [text, where, label] of places) {
        const match = text === null ? null : pattern.exec(text);
        if (!match) continue;
        findings.push({
          severity: 'error',
          where: where(match.index),
          message: `${label} holds ${message}`,
          fix: `Remove the ${name} string: it is for testing filters, never for a message people should receive.`,
          evidence: name,
        });
      }
    }
    return findings;
  },
};
