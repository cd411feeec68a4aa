import { describe, expect, it } from 'vitest';
import type { BounceClass, BounceReason, BounceRecord } from '../../src/bounces/types.js';
import { DEFAULT_POLICY, decide, type PolicyConfig } from '../../src/policy/decide.js';
import { buildHistories, type AddressHistory, type UnsuppressOverride } from '../../src/policy/history-model.js';

const NOW = new Date('2026-11-20T12:00:00.000Z');
const HOUR = 3_600_000;
const DAY = 86_400_000;

const DEFAULT_REASON: Record<BounceClass, BounceReason> = {
  hard: 'userunknown',
  soft: 'mailboxfull',
  block: 'blocked',
  complaint: 'feedback',
  'auto-reply': 'vacation',
  delivered: 'delivered',
  undetermined: 'undefined',
};

let line = 0;
/** A synthetic record for ann@example.org; each gets its own message unless told otherwise. */
function record(cls: BounceClass, at: string | null, fields: Partial<BounceRecord> = {}): BounceRecord {
  line++;
  return {
    recipient: 'ann@example.org',
    class: cls,
    reason: DEFAULT_REASON[cls],
    action: cls === 'delivered' ? 'delivered' : cls === 'soft' || cls === 'undetermined' ? 'delayed' : 'failed',
    status: null,
    smtpCode: null,
    diagnostic: null,
    remoteMta: null,
    at,
    queueId: null,
    format: 'postfix',
    source: `mail.log:${line}`,
    messageKey: `Q${line}`,
    ...fields,
  };
}

/** ISO time `ms` before NOW (negative: after). */
const ago = (ms: number): string => new Date(NOW.getTime() - ms).toISOString();

function historyOf(records: BounceRecord[], overrides: UnsuppressOverride[] = []): AddressHistory {
  const history = buildHistories(records).get('ann@example.org') ?? {
    address: 'ann@example.org',
    events: [],
    suppression: null,
    overrides: [],
  };
  return { ...history, overrides };
}

function decideFor(
  records: BounceRecord[],
  options: { overrides?: UnsuppressOverride[]; config?: Partial<PolicyConfig>; now?: Date } = {},
) {
  return decide(historyOf(records, options.overrides), { ...DEFAULT_POLICY, ...options.config }, options.now ?? NOW);
}

/** `count` soft bounces on different messages, the newest `newestAgo` before NOW, a day apart. */
function softBounces(count: number, newestAgo: number, cls: BounceClass = 'soft'): BounceRecord[] {
  return Array.from({ length: count }, (_, index) =>
    record(cls, ago(newestAgo + (count - 1 - index) * DAY), { status: '4.2.2', smtpCode: '452', diagnostic: '452 4.2.2 Mailbox full' }),
  );
}

describe('decide: no history', () => {
  it('sends to an address nothing is known about', () => {
    expect(decide(undefined, DEFAULT_POLICY, NOW)).toEqual({
      list: 'cleaned',
      reason: null,
      detail: null,
      source: null,
      softCount: 0,
      blockCount: 0,
      lastBounce: null,
      retryAfter: null,
    });
  });
});

describe('decide: hard bounces', () => {
  const hard = () =>
    record('hard', '2026-11-19T08:30:00.000Z', {
      status: '5.1.1',
      smtpCode: '550',
      diagnostic: '550 5.1.1 user unknown',
      source: 'bounces/mail.log:1234',
    });

  it('suppresses at once and says why, with code, date and source', () => {
    const decision = decideFor([hard()]);
    expect(decision).toMatchObject({
      list: 'suppressed',
      reason: 'hard-bounce',
      detail: 'hard bounce (userunknown, 5.1.1) on 2026-11-19 from bounces/mail.log:1234: 550 5.1.1 user unknown',
      source: 'bounces/mail.log:1234',
      lastBounce: '2026-11-19T08:30:00.000Z',
      retryAfter: null,
    });
  });

  it('is cleared by a later delivery (the address evidently works)', () => {
    expect(decideFor([hard(), record('delivered', '2026-11-19T09:00:00.000Z')]).list).toBe('cleaned');
  });

  it('is not cleared by an earlier delivery', () => {
    expect(decideFor([record('delivered', '2026-11-01T09:00:00.000Z'), hard()]).reason).toBe('hard-bounce');
  });

  it('suppresses even when the time of the bounce is unknown', () => {
    const decision = decideFor([record('hard', null, { status: '5.1.1', source: 'bounces/msg-07.eml#2' })]);
    expect(decision.reason).toBe('hard-bounce');
    expect(decision.detail).toContain('on an unknown date from bounces/msg-07.eml#2');
  });

  it('cuts a long remote text to about 200 characters on one line', () => {
    const diagnostic = `550 5.1.1 <ann@example.org>:\r\nRecipient address rejected: ${'x'.repeat(5000)}`;
    const decision = decideFor([record('hard', ago(HOUR), { status: '5.1.1', diagnostic })]);
    const remote = decision.detail!.split(': ').slice(1).join(': ');
    expect(remote.length).toBeLessThanOrEqual(200);
    expect(remote.endsWith('…')).toBe(true);
    expect(decision.detail).not.toMatch(/[\r\n]/);
  });
});

describe('decide: complaints', () => {
  it('suppresses, and a later delivery does not clear it', () => {
    const complaint = record('complaint', ago(5 * DAY), { source: 'arf/report-3.eml#1' });
    const decision = decideFor([complaint, record('delivered', ago(DAY))]);
    expect(decision).toMatchObject({ list: 'suppressed', reason: 'complaint', source: 'arf/report-3.eml#1' });
    expect(decision.detail).toMatch(/^spam complaint \(feedback\) on 2026-11-15 from arf\/report-3\.eml#1$/);
  });

  it('is cleared by an unsuppress', () => {
    const decision = decideFor([record('complaint', ago(5 * DAY))], {
      overrides: [{ at: ago(DAY), note: 'asked us by phone', undoneAt: null }],
    });
    expect(decision.list).toBe('cleaned');
  });

  it('hard bounce wins over complaint (first rule in order)', () => {
    expect(decideFor([record('complaint', ago(2 * DAY)), record('hard', ago(DAY))]).reason).toBe('hard-bounce');
  });
});

describe('decide: soft-bounce limit', () => {
  it('3 counted soft bounces do not suppress, 4 do', () => {
    expect(decideFor(softBounces(3, 2 * DAY))).toMatchObject({ list: 'cleaned', softCount: 3 });
    const decision = decideFor(softBounces(4, 2 * DAY));
    expect(decision).toMatchObject({ list: 'suppressed', reason: 'soft-bounce-limit', softCount: 4 });
    expect(decision.detail).toMatch(
      /^4 soft bounces since 2026-11-15 \(limit 4\): last mailboxfull 4\.2\.2 on 2026-11-18 from mail\.log:\d+: 452 4\.2\.2 Mailbox full$/,
    );
  });

  it('counts the same queued message retried 20 times once', () => {
    const retries = Array.from({ length: 20 }, (_, index) =>
      record('soft', ago(HOUR + index * 3 * HOUR), { messageKey: '3893C1102DD6', queueId: '3893C1102DD6' }),
    );
    expect(decideFor(retries)).toMatchObject({ list: 'retry-later', reason: 'soft-bounce', softCount: 1 });
  });

  it('counts events without a message key one per distinct event', () => {
    const events = softBounces(4, 2 * DAY).map((event) => ({ ...event, messageKey: null }));
    expect(decideFor(events)).toMatchObject({ reason: 'soft-bounce-limit', softCount: 4 });
    // The very same event read twice (two rotated logs) is still one.
    expect(decideFor([...events.slice(1), { ...events[1]!, source: 'mail.log.1:9' }]).softCount).toBe(3);
  });

  it('counts an event exactly 30 days old, not one a millisecond older (the window is inclusive)', () => {
    const recent = softBounces(3, 2 * DAY);
    expect(decideFor([record('soft', ago(30 * DAY)), ...recent])).toMatchObject({ reason: 'soft-bounce-limit', softCount: 4 });
    expect(decideFor([record('soft', ago(30 * DAY + 1)), ...recent])).toMatchObject({ list: 'cleaned', softCount: 3 });
  });

  it('a delivery resets the count', () => {
    const before = softBounces(4, 10 * DAY);
    const delivered = record('delivered', ago(5 * DAY), { status: '2.0.0' });
    const after = record('soft', ago(2 * DAY));
    expect(decideFor([...before, delivered, after])).toMatchObject({ list: 'cleaned', softCount: 1 });
  });

  it('counts undetermined bounces as soft', () => {
    expect(decideFor(softBounces(4, 2 * DAY, 'undetermined'))).toMatchObject({ reason: 'soft-bounce-limit', softCount: 4 });
    expect(decideFor([record('undetermined', ago(HOUR))])).toMatchObject({ reason: 'soft-bounce', softCount: 1 });
  });

  it('follows a configured limit and window', () => {
    const events = softBounces(2, 2 * DAY);
    expect(decideFor(events, { config: { softLimit: 2 } }).reason).toBe('soft-bounce-limit');
    expect(decideFor(events, { config: { softLimit: 2, softWindowMs: 2 * DAY + HOUR } }).softCount).toBe(1);
  });
});

describe('decide: retry-later', () => {
  const last = record('soft', '2026-11-20T02:00:00.000Z', { status: '4.2.2', smtpCode: '452', diagnostic: '452 4.2.2 Mailbox full' });

  it('waits 24h after the last soft bounce, and not a millisecond more', () => {
    const justBefore = decideFor([last], { now: new Date('2026-11-21T01:59:59.999Z') });
    expect(justBefore).toMatchObject({
      list: 'retry-later',
      reason: 'soft-bounce',
      softCount: 1,
      lastBounce: '2026-11-20T02:00:00.000Z',
      retryAfter: '2026-11-21T02:00:00.000Z',
      source: last.source,
    });
    expect(justBefore.detail).toContain('soft bounce (mailboxfull, 4.2.2) on 2026-11-20');
    expect(justBefore.detail).toContain('retry after 2026-11-21T02:00:00.000Z');
    expect(decideFor([last], { now: new Date('2026-11-21T02:00:00.000Z') }).list).toBe('cleaned');
  });

  it('follows a configured retry delay', () => {
    const decision = decideFor([last], { config: { retryDelayMs: 36 * HOUR } });
    expect(decision.retryAfter).toBe('2026-11-21T14:00:00.000Z');
  });

  it('does not wait when the address received mail after the soft bounce', () => {
    expect(decideFor([last, record('delivered', '2026-11-20T06:00:00.000Z')]).list).toBe('cleaned');
  });

  it('ignores soft bounces of unknown time (no retry time can be computed)', () => {
    expect(decideFor([record('soft', null)])).toMatchObject({ list: 'cleaned', softCount: 0 });
  });
});

describe('decide: blocks', () => {
  it('never suppress, however many', () => {
    const blocks = Array.from({ length: 60 }, (_, index) =>
      record('block', ago(2 * HOUR + index * 12 * HOUR), { status: '5.7.26', smtpCode: '550', remoteMta: 'gmail-smtp-in.l.google.com' }),
    );
    const decision = decideFor(blocks);
    expect(decision).toMatchObject({ list: 'retry-later', reason: 'sender-blocked', softCount: 0, blockCount: 60 });
    expect(decision.detail).toContain('sender blocked (blocked, 5.7.26)');
    expect(decision.detail).toContain('refused the sender, not the address');
    expect(decision.retryAfter).toBe(new Date(NOW.getTime() - 2 * HOUR + DAY).toISOString());
    // A day later the retry time has passed, and the two oldest blocks left the 30-day window.
    expect(decideFor(blocks, { now: new Date(NOW.getTime() + DAY) })).toMatchObject({ list: 'cleaned', blockCount: 58 });
  });

  it('a soft bounce in wait wins over a block (rule order)', () => {
    expect(decideFor([record('soft', ago(2 * HOUR)), record('block', ago(HOUR))]).reason).toBe('soft-bounce');
  });
});

describe('decide: ignored events', () => {
  it('ignores auto-replies', () => {
    const replies = Array.from({ length: 5 }, (_, index) => record('auto-reply', ago(HOUR * (index + 1))));
    expect(decideFor(replies)).toMatchObject({ list: 'cleaned', softCount: 0, lastBounce: null });
    expect(decideFor([...softBounces(3, 2 * DAY), ...replies]).softCount).toBe(3);
  });

  it('ignores events after now, so a past now reproduces an old decision', () => {
    expect(decideFor([record('hard', ago(-1))]).list).toBe('cleaned');
    const events = [...softBounces(4, 2 * DAY), record('delivered', ago(DAY))];
    expect(decideFor(events).list).toBe('cleaned');
    expect(decideFor(events, { now: new Date(NOW.getTime() - DAY - 1) }).reason).toBe('soft-bounce-limit');
  });
});

describe('decide: unsuppress and the suppression list', () => {
  const hard = () => record('hard', ago(10 * DAY), { status: '5.1.1' });

  it('an unsuppress clears earlier bounces; a new hard bounce suppresses again', () => {
    const overrides = [{ at: ago(5 * DAY), note: 'mailbox restored', undoneAt: null }];
    expect(decideFor([hard()], { overrides }).list).toBe('cleaned');
    expect(decideFor([hard(), record('hard', ago(DAY), { status: '5.1.1' })], { overrides }).reason).toBe('hard-bounce');
  });

  it('undoing the unsuppress restores the suppression', () => {
    const overrides = [{ at: ago(5 * DAY), note: null, undoneAt: ago(2 * DAY) }];
    expect(decideFor([hard()], { overrides }).reason).toBe('hard-bounce');
    // Before it was undone, the unsuppress was in force.
    expect(decideFor([hard()], { overrides, now: new Date(NOW.getTime() - 3 * DAY) }).list).toBe('cleaned');
  });

  it('undoing the latest of two unsuppresses leaves the earlier one in force', () => {
    const overrides = [
      { at: ago(8 * DAY), note: null, undoneAt: null },
      { at: ago(4 * DAY), note: null, undoneAt: ago(DAY) },
    ];
    expect(decideFor([hard()], { overrides }).list).toBe('cleaned');
  });

  it('an unsuppress also clears the soft count', () => {
    const overrides = [{ at: ago(DAY + HOUR), note: null, undoneAt: null }];
    expect(decideFor(softBounces(4, 2 * DAY), { overrides })).toMatchObject({ list: 'cleaned', softCount: 0 });
  });

  it('the suppression list comes first, until an unsuppress after it', () => {
    const history: AddressHistory = {
      ...historyOf([hard()]),
      suppression: {
        address: 'ann@example.org',
        reason: 'complaint',
        note: null,
        origin: 'import:ses suppressed.json#4',
        at: ago(20 * DAY),
      },
    };
    const decision = decide(history, DEFAULT_POLICY, NOW);
    expect(decision).toMatchObject({ list: 'suppressed', reason: 'suppressed-manually', source: 'import:ses suppressed.json#4' });
    expect(decision.detail).toBe('on the suppression list (complaint) since 2026-10-31 from import:ses suppressed.json#4');
    const unsuppressed = { ...history, overrides: [{ at: ago(DAY), note: null, undoneAt: null }] };
    expect(decide(unsuppressed, DEFAULT_POLICY, NOW).list).toBe('cleaned');
    // Listed again by the provider after the unsuppress: suppressed again.
    const relisted = { ...unsuppressed, suppression: { ...history.suppression!, at: ago(HOUR) } };
    expect(decide(relisted, DEFAULT_POLICY, NOW).reason).toBe('suppressed-manually');
  });
});

describe('decide: the fields of a decision', () => {
  // `hygiene history --json` prints decisions as they are: their fields keep one order.
  const ORDER = ['softCount', 'blockCount', 'lastBounce', 'retryAfter', 'list', 'reason', 'detail', 'source'];

  it('suppressed and retry-later decisions have every field, in one order', () => {
    const hard = decideFor([record('hard', ago(HOUR), { status: '5.1.1', diagnostic: '550 5.1.1 user unknown' })]);
    expect(hard.list).toBe('suppressed');
    expect(Object.keys(hard)).toEqual(ORDER);
    expect(hard.lastBounce).toBe(ago(HOUR));
    const soft = decideFor(softBounces(1, HOUR));
    expect(soft.list).toBe('retry-later');
    expect(Object.keys(soft)).toEqual(ORDER);
    expect(soft.retryAfter).not.toBeNull();
  });
});
