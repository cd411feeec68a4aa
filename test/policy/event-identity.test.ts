import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { joinSource, splitSource } from '../../src/state/event-table.js';
import type { BounceRecord } from '../../src/bounces/types.js';
import { eventIdentity, historyKey, identityNumber, identityText } from '../../src/policy/event-identity.js';

const base: BounceRecord = {
  recipient: 'ann@example.org',
  class: 'soft',
  reason: 'mailboxfull',
  action: 'delayed',
  status: '4.2.2',
  smtpCode: '452',
  diagnostic: '452 4.2.2 Mailbox full',
  remoteMta: 'mx.example.org',
  at: '2026-11-19T10:00:00.000Z',
  queueId: '3893C1102DD6',
  format: 'postfix',
  source: 'mail.log:812',
  messageKey: '3893C1102DD6',
};

describe('eventIdentity', () => {
  it('is the same for the same line read from another file, at another time, in another spelling', () => {
    expect(eventIdentity({ ...base, source: 'mail.log.1:5' })).toBe(eventIdentity(base));
    expect(eventIdentity({ ...base, recipient: ' Ann@Example.ORG' })).toBe(eventIdentity(base));
    expect(eventIdentity({ ...base, messageKey: undefined, queueId: null })).toBe(
      eventIdentity({ ...base, messageKey: null, queueId: null }),
    );
  });

  it('is the same whatever our classifier made of it (class, reason, the status it read from the text)', () => {
    // A classifier change must not make last month's events look new when the logs are read again.
    expect(eventIdentity({ ...base, class: 'hard', reason: 'userunknown' })).toBe(eventIdentity(base));
    expect(eventIdentity({ ...base, status: '4.3.1' })).toBe(eventIdentity(base));
  });

  it('differs when the event says something else', () => {
    const variants: Array<Partial<BounceRecord>> = [
      { recipient: 'bob@example.org' },
      { format: 'exim' },
      { queueId: 'OTHERQ' },
      { smtpCode: '451' },
      { diagnostic: null, status: '4.2.2' },
      { diagnostic: null, status: '4.3.1' },
      { at: '2026-11-19T11:00:00.000Z' },
      { at: null },
      { messageKey: 'OTHER' },
      { diagnostic: '452 4.2.2 Quota exceeded' },
    ];
    const ids = new Set([eventIdentity(base), ...variants.map((variant) => eventIdentity({ ...base, ...variant }))]);
    expect(ids.size).toBe(variants.length + 1);
  });

  it('is 13 hex digits (52 bits of a sha1 digest), exact as a number', () => {
    expect(eventIdentity(base)).toMatch(/^[0-9a-f]{13}$/);
    expect(identityText(identityNumber(eventIdentity(base)))).toBe(eventIdentity(base));
    expect(Number.isSafeInteger(identityNumber('fffffffffffff'))).toBe(true);
  });
});

describe('historyKey', () => {
  it('trims and lower-cases', () => {
    expect(historyKey('\tBob.Smith@Example.NET  ')).toBe('bob.smith@example.net');
  });
});

describe('eventIdentity: fields cannot run into each other', () => {
  it('differs for texts that only differ in where one field ends', () => {
    const ids = new Set([
      eventIdentity({ ...base, queueId: 'AB', messageKey: 'C' }),
      eventIdentity({ ...base, queueId: 'A', messageKey: 'BC' }),
      eventIdentity({ ...base, queueId: 'A\u0000', messageKey: 'BC' }),
      eventIdentity({ ...base, queueId: 'A', messageKey: '\u0000BC' }),
      eventIdentity({ ...base, queueId: null, messageKey: 'BC' }),
      eventIdentity({ ...base, queueId: '\\N', messageKey: 'BC' }),
      eventIdentity({ ...base, queueId: '', messageKey: 'BC' }),
      eventIdentity({ ...base, diagnostic: null, status: '5.1.1' }),
      eventIdentity({ ...base, diagnostic: '\\S5.1.1', status: null }),
      eventIdentity({ ...base, diagnostic: 'status:5.1.1', status: null }),
    ]);
    expect(ids.size).toBe(10);
  });
});

describe('source split and join (how the store keeps "file:line")', () => {
  it('gives every source back exactly', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.stringMatching(/^[a-z./]{0,12}[:#]?\d{0,20}$/)), (source) => {
        const { file, line } = splitSource(source);
        expect(joinSource(file, line)).toBe(source);
        if (line !== null) expect(Number.isSafeInteger(line)).toBe(true);
      }),
      { numRuns: 500 },
    );
    expect(splitSource('mail.log:1234')).toEqual({ file: 'mail.log:', line: 1234 });
    expect(splitSource('bounces/x.eml#2')).toEqual({ file: 'bounces/x.eml#', line: 2 });
    expect(splitSource('x:007')).toEqual({ file: 'x:00', line: 7 });
    expect(splitSource('x:0')).toEqual({ file: 'x:', line: 0 });
    expect(splitSource('dir/a.eml')).toEqual({ file: 'dir/a.eml', line: null });
  });
});
