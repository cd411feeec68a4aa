import { describe, expect, it } from 'vitest';
import { findBounceColumns, listedBounce } from '../../src/contacts/bounce-columns.js';

const names = (header: string[], rows: string[][] = []) => {
  const found = findBounceColumns(header, rows);
  return { columns: found.columns.map((column) => `${column.name}:${column.kind}`), ignored: found.ignored };
};
// A stand-in for the classifier: a 5.1.1 reply is hard.
const readsHard = (reply: string) => /\b5\.1\.1\b|user unknown/i.test(reply);

describe('the bounce columns of a contact export', () => {
  it("finds Salesforce's bounce reason and date, outreach tools' flags and a subscription status", () => {
    expect(names(['Email', 'Email Bounced Reason', 'Email Bounced Date']).columns).toEqual([
      'Email Bounced Reason:reason',
      'Email Bounced Date:flag',
    ]);
    expect(names(['Email', 'Lead - Email Bounced Reason']).columns).toEqual(['Lead - Email Bounced Reason:reason']);
    expect(names(['Email', 'Email Bounced'], [['a@example.com', 'false']]).columns).toEqual(['Email Bounced:flag']);
    expect(names(['Email Address', 'Status']).columns).toEqual(['Status:status']);
    expect(
      names(['Email Address', 'First Name', 'CLEAN_TIME', 'CLEAN_CAMPAIGN_TITLE'], [['a@example.com', 'A', '2026-10-02 10:00:00', 'News']])
        .columns,
    ).toEqual(['CLEAN_TIME:flag']);
    expect(names(['Email', 'Lead Status', 'Bounce Notes']).columns).toEqual([]);
  });

  it('does not read a flag column whose values are notes, and says so', () => {
    expect(names(['Email', 'Bounced'], [['a@example.com', 'once, in May']])).toEqual({ columns: [], ignored: ['Bounced'] });
  });

  it('marks a row by a hard reply, a yes or a date, or a bounced status; a soft reply decides alone', () => {
    const { columns } = findBounceColumns(['Email', 'Email Bounced Reason', 'Email Bounced Date', 'Status'], []);
    const row = (reason: string, date: string, status: string) => listedBounce(['a@example.com', reason, date, status], columns, readsHard);
    expect(row('550 5.1.1 user unknown', '2026-10-02', '')).toEqual({ column: 'Email Bounced Reason', value: '550 5.1.1 user unknown' });
    // Salesforce dates every bounce: a full mailbox says nothing about the address.
    expect(row('452 4.2.2 mailbox full', '2026-10-02', '')).toBeNull();
    expect(row('', '2026-10-02', '')).toEqual({ column: 'Email Bounced Date', value: '2026-10-02' });
    expect(row('', '', 'Cleaned')).toEqual({ column: 'Status', value: 'Cleaned' });
    expect(row('', '', 'hard bounced')).toEqual({ column: 'Status', value: 'hard bounced' });
    expect(row('', '', 'subscribed')).toBeNull();
    expect(row('', '', '')).toBeNull();
  });
});
