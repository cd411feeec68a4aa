/**
 * classifyBounce is total: whatever a parser hands it (any text, any junk in any field), it
 * returns a known class and a known reason, and never throws.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { classifyBounce } from '../../src/index.js';
import { BOUNCE_CLASSES, type BounceEvidence } from '../../src/bounces/types.js';

/** docs/architecture.md, "Bounce classes and reasons": the Sisimai reason names the tool may output. */
const REASONS = new Set([
  'userunknown',
  'hostunknown',
  'hasmoved',
  'notaccept',
  'mailboxfull',
  'suspend',
  'filtered',
  'rejected',
  'blocked',
  'badreputation',
  'requireptr',
  'authfailure',
  'policyviolation',
  'spamdetected',
  'virusdetected',
  'contenterror',
  'notcompliantrfc',
  'securityerror',
  'norelaying',
  'syntaxerror',
  'systemerror',
  'systemfull',
  'mailererror',
  'networkerror',
  'expired',
  'failedstarttls',
  'suppressed',
  'emailtoolarge',
  'ratelimited',
  'onhold',
  'undefined',
  'delivered',
  'feedback',
  'vacation',
]);
const CLASSES = new Set<string>(BOUNCE_CLASSES);

/** Pieces real diagnostics are made of, so generated texts hit the rules, not only miss them. */
const TOKENS = [
  '550',
  '552',
  '554',
  '451',
  '452',
  '421',
  '250',
  '5.1.1',
  '5.7.1',
  '5.7.26',
  '4.2.2',
  '4.7.0',
  '5.0.0',
  '2.0.0',
  '#5.1.1',
  '550-5.7.1',
  'smtp;',
  'RCPT TO',
  'MAIL FROM',
  'DATA',
  'EHLO',
  'user unknown',
  'mailbox full',
  'over quota',
  'blocked',
  'spam',
  'unsolicited',
  'Spamhaus',
  'SPF',
  'DKIM',
  'DMARC',
  'rate limited',
  'too many',
  'try again later',
  'gsmtp',
  'Host not found',
  'name=mx.example.org type=MX',
  'Connection timed out',
  'TLS',
  'relay denied',
  'does not exist',
  'S3150',
  'outlook.com',
  'yahoo',
  '<ann@example.org>',
  '(in reply to RCPT TO command)',
  'said:',
  '\n',
  '\t',
  '  ',
  '-',
  '()',
  'ü',
  '日本',
];
const text = fc.oneof(
  fc.string({ maxLength: 200 }),
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.array(fc.oneof(fc.constantFrom(...TOKENS), fc.string({ maxLength: 8 })), { maxLength: 30 }).map((parts) => parts.join(' ')),
);
/** What a sloppy parser might put in a field: text, nothing, or the wrong type altogether. */
const field = fc.oneof(text, fc.constant(null), fc.constant(undefined), fc.integer(), fc.anything({ maxDepth: 1 }));
const evidence = fc.record(
  {
    status: field,
    smtpCode: field,
    diagnostic: field,
    action: fc.oneof(fc.constantFrom('failed', 'delayed', 'delivered', 'relayed', 'expanded'), field),
    vendorReason: fc.oneof(fc.constantFrom(...REASONS), field),
    vendorClass: fc.oneof(fc.constantFrom(...BOUNCE_CLASSES), field),
    feedbackType: field,
    autoReply: fc.oneof(fc.boolean(), field),
    command: fc.oneof(fc.constantFrom('RCPT', 'MAIL', 'DATA', 'EHLO', 'CONN'), field),
    remoteMta: field,
    recipient: field,
  },
  { requiredKeys: [] },
) as fc.Arbitrary<BounceEvidence>;

const ENHANCED_STATUS = /^[245]\.\d{1,3}\.\d{1,3}$/;

describe('classifyBounce is total', () => {
  it('never throws; always a known class and reason; a status, when given, is an enhanced code', () => {
    fc.assert(
      fc.property(evidence, (input) => {
        const result = classifyBounce(input);
        expect(CLASSES.has(result.class), `class ${result.class}`).toBe(true);
        expect(REASONS.has(result.reason), `reason ${result.reason}`).toBe(true);
        expect(result.status === null || ENHANCED_STATUS.test(result.status), `status ${result.status}`).toBe(true);
        // A pure function: the same evidence, the same answer.
        expect(classifyBounce(input)).toEqual(result);
      }),
      { numRuns: 3000 },
    );
  });

  it('on arbitrary diagnostic text alone', () => {
    fc.assert(
      fc.property(text, (diagnostic) => {
        const result = classifyBounce({ diagnostic });
        expect(CLASSES.has(result.class)).toBe(true);
        expect(REASONS.has(result.reason)).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });

  it('explicit signals win over any text: complaint, auto-reply, delivery', () => {
    fc.assert(
      fc.property(text, text, (diagnostic, feedbackType) => {
        fc.pre(feedbackType.trim() !== '');
        expect(classifyBounce({ diagnostic, feedbackType })).toMatchObject({ class: 'complaint', reason: 'feedback' });
        expect(classifyBounce({ diagnostic, autoReply: true })).toMatchObject({ class: 'auto-reply', reason: 'vacation' });
        expect(classifyBounce({ diagnostic, action: 'delivered' })).toMatchObject({ class: 'delivered', reason: 'delivered' });
      }),
      { numRuns: 500 },
    );
  });

  it('survives an empty or missing evidence object', () => {
    for (const input of [{}, null, undefined] as unknown as BounceEvidence[]) {
      const result = classifyBounce(input);
      expect(result).toEqual({ class: 'undetermined', reason: 'undefined', status: null });
    }
  });
});
