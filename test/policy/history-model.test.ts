import { describe, expect, it } from 'vitest';
import type { BounceRecord } from '../../src/bounces/types.js';
import { buildHistories, historyKey } from '../../src/policy/history-model.js';

function record(fields: Partial<BounceRecord>): BounceRecord {
  return {
    recipient: 'ann@example.org',
    class: 'soft',
    reason: 'mailboxfull',
    action: 'delayed',
    status: '4.2.2',
    smtpCode: '452',
    diagnostic: '452 4.2.2 Mailbox full',
    remoteMta: 'mx.example.org',
    at: '2026-11-01T10:00:00.000Z',
    queueId: 'A1B2C3',
    format: 'postfix',
    source: 'mail.log:1',
    messageKey: 'A1B2C3',
    ...fields,
  };
}

describe('historyKey', () => {
  it('trims and lower-cases, so log and contact spellings meet', () => {
    expect(historyKey('  Ann.Lee@Example.ORG ')).toBe('ann.lee@example.org');
  });
});

describe('buildHistories', () => {
  it('groups events by address key, whatever the spelling in the log', () => {
    const histories = buildHistories([
      record({ recipient: 'Ann@Example.org', source: 'mail.log:1' }),
      record({ recipient: 'bob@example.net', source: 'mail.log:2' }),
      record({ recipient: 'ann@example.org', at: '2026-11-02T10:00:00.000Z', source: 'mail.log:3' }),
    ]);
    expect([...histories.keys()].sort()).toEqual(['ann@example.org', 'bob@example.net']);
    expect(histories.get('ann@example.org')!.events.map((event) => event.source)).toEqual(['mail.log:1', 'mail.log:3']);
  });

  it('sorts by time with unknown times first, ties by source in line order', () => {
    const history = buildHistories([
      record({ at: '2026-11-03T00:00:00.000Z', source: 'mail.log:10', messageKey: 'm1' }),
      record({ at: null, source: 'dsn/a.eml#1', messageKey: 'm2' }),
      record({ at: '2026-11-01T00:00:00.000Z', source: 'mail.log:100', messageKey: 'm3' }),
      record({ at: '2026-11-01T00:00:00.000Z', source: 'mail.log:9', messageKey: 'm4' }),
    ]).get('ann@example.org')!;
    expect(history.events.map((event) => event.source)).toEqual(['dsn/a.eml#1', 'mail.log:9', 'mail.log:100', 'mail.log:10']);
    expect(history.events[0]!.time).toBeNull();
    expect(history.events[1]!.time).toBe(Date.parse('2026-11-01T00:00:00.000Z'));
  });

  it('keeps one event when rotated logs repeat the same line, from the smallest source in any order', () => {
    const first = record({ source: 'mail.log.1:812' });
    const second = record({ source: 'mail.log:3' });
    for (const order of [
      [first, second],
      [second, first],
      [second, first, second],
    ]) {
      const events = buildHistories(order).get('ann@example.org')!.events;
      expect(events).toHaveLength(1);
      expect(events[0]!.source).toBe('mail.log.1:812');
    }
  });

  it('keeps retries of one message as separate events (the policy counts them once)', () => {
    const events = buildHistories([
      record({ at: '2026-11-01T10:00:00.000Z' }),
      record({ at: '2026-11-01T11:00:00.000Z', source: 'mail.log:2' }),
    ]).get('ann@example.org')!.events;
    expect(events).toHaveLength(2);
    expect(new Set(events.map((event) => event.messageKey))).toEqual(new Set(['A1B2C3']));
  });
});
