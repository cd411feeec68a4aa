import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  classifyBounce,
  findCommand,
  findEnhancedStatus,
  findReplyCode,
  normalizeDiagnostic,
} from '../../../src/bounces/classify/index.js';
import { PhraseMatcher } from '../../../src/bounces/classify/phrase-matcher.js';
import { BOUNCE_CLASSES } from '../../../src/bounces/types.js';

describe('normalizeDiagnostic', () => {
  it('lower-cases, collapses blanks and drops the continuation prefixes of a flattened reply', () => {
    const text =
      '550-5.7.1 [203.0.113.5 12] Our system has detected that this 550-5.7.1 message is likely\n  unsolicited mail. 550 5.7.1 - gsmtp';
    expect(normalizeDiagnostic(text)).toBe(
      '550 5.7.1 [203.0.113.5 12] our system has detected that this message is likely unsolicited mail. - gsmtp',
    );
  });

  it('keeps numbers that are not the reply code', () => {
    expect(normalizeDiagnostic('452 4.2.2 quota 550 MB exceeded')).toBe('452 4.2.2 quota 550 mb exceeded');
  });

  it('looks at the first 4 KiB only', () => {
    expect(normalizeDiagnostic(`${'a '.repeat(3000)}mailbox full`)).not.toContain('mailbox full');
  });
});

describe('code extraction', () => {
  it('finds the most telling enhanced code, not parts of IP addresses', () => {
    expect(findEnhancedStatus('host 10.5.4.4 said: 550 5.1.1 <a@b.example> unknown')).toBe('5.1.1');
    expect(findEnhancedStatus('Out: 250 2.1.5 Ok Out: 451 4.3.0 Error: queue file write error')).toBe('4.3.0');
    expect(findEnhancedStatus('5.1.0 - Unknown address error 550-5.2.2 <a@b.example>... Mailbox Full')).toBe('5.2.2');
    expect(findEnhancedStatus('Exim 4.92 on 192.0.2.7')).toBeNull();
  });

  it('finds the reply code where replies start', () => {
    expect(findReplyCode('host mx.example.org[192.0.2.7] said: 550-5.7.1 blocked')).toBe('550');
    expect(findReplyCode('<<< 452 4.2.2 Mailbox full')).toBe('452');
    expect(findReplyCode('Thu, 29 Apr 2010 00:00:00 -0000')).toBeNull();
  });

  it('names the SMTP command the server answered', () => {
    expect(findCommand('550 user unknown (in reply to rcpt to command)')).toBe('RCPT');
    expect(findCommand('smtp error from remote mail server after mail from:<a@b.example> size=10:')).toBe('MAIL');
    expect(findCommand('550 5.7.1 rejected (in reply to end of data command)')).toBe('DATA');
    expect(findCommand('connection timed out')).toBeNull();
  });
});

describe('PhraseMatcher', () => {
  it('returns the lowest rank among the phrases found, overlapping ones included', () => {
    const matcher = new PhraseMatcher([
      ['user unknown', 2],
      ['unknown', 3],
      ['mailbox full', 1],
    ]);
    expect(matcher.best('550 user unknown')).toBe(2);
    expect(matcher.best('unknown host; mailbox full')).toBe(1);
    expect(matcher.best('all fine')).toBe(-1);
  });

  it('finds a phrase that is a suffix of a partial match (failure links)', () => {
    const matcher = new PhraseMatcher([
      ['abcd', 0],
      ['bcx', 1],
    ]);
    expect(matcher.best('zabcx')).toBe(1);
  });
});

describe('classifyBounce on hostile input', () => {
  it('is total: any evidence gives a known class and reason', () => {
    const classes = new Set(BOUNCE_CLASSES);
    fc.assert(
      fc.property(
        fc.record({
          status: fc.option(fc.string(), { nil: undefined }),
          smtpCode: fc.option(fc.string(), { nil: undefined }),
          diagnostic: fc.option(fc.string({ maxLength: 500 }), { nil: undefined }),
          command: fc.option(fc.string(), { nil: undefined }),
          action: fc.option(fc.constantFrom('failed', 'delayed', 'delivered', 'nonsense'), { nil: undefined }),
        }),
        (evidence) => {
          const result = classifyBounce(evidence as never);
          expect(classes.has(result.class)).toBe(true);
          expect(typeof result.reason).toBe('string');
        },
      ),
      { numRuns: 500 },
    );
  });

  it('stays fast on long adversarial lines', () => {
    const inputs = [
      `550 ${'5.5.5.'.repeat(200_000)}`,
      `${'a@'.repeat(200_000)}`,
      `${'550-'.repeat(100_000)}x`,
      `user ${'x'.repeat(500_000)} unknown`,
      `${'<'.repeat(200_000)}a@b`,
    ];
    const started = performance.now();
    for (const diagnostic of inputs) classifyBounce({ diagnostic, status: '5.0.0' });
    expect(performance.now() - started).toBeLessThan(1000);
  });
});
