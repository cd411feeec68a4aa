import { describe, expect, it } from 'vitest';
import type { BounceRecord } from '../../src/bounces/types.js';
import { eventIdentity, historyKey } from '../../src/policy/event-identity.js';

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
    expect(eventIdentity({ ...base, format: 'syslog' })).toBe(eventIdentity(base));
    expect(eventIdentity({ ...base, messageKey: undefined, queueId: null })).toBe(eventIdentity({ ...base, messageKey: null, queueId: null }));
  });

  it('differs when the event says something else', () => {
    const variants: Array<Partial<BounceRecord>> = [
      { recipient: 'bob@example.org' },
      { status: '4.3.1' },
      { smtpCode: '451' },
      { at: '2026-11-19T11:00:00.000Z' },
      { at: null },
      { messageKey: 'OTHER' },
      { diagnostic: '452 4.2.2 Quota exceeded' },
    ];
    const ids = new Set([eventIdentity(base), ...variants.map((variant) => eventIdentity({ ...base, ...variant }))]);
    expect(ids.size).toBe(variants.length + 1);
  });

  it('is what the source says, not our reading of it: a classifier change keeps the identity', () => {
    expect(eventIdentity({ ...base, class: 'block', reason: 'ratelimited' })).toBe(eventIdentity(base));
  });

  it('is a sha1 hex digest', () => {
    expect(eventIdentity(base)).toMatch(/^[0-9a-f]{40}$/);
  });
});

describe('historyKey', () => {
  it('trims and lower-cases', () => {
    expect(historyKey('\tBob.Smith@Example.NET  ')).toBe('bob.smith@example.net');
  });
});
