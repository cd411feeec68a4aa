import { describe, expect, it } from 'vitest';
import { findOptOutColumns, optedOut } from '../../src/contacts/opt-out.js';

const names = (header: string[], rows: string[][] = []) => {
  const found = findOptOutColumns(header, rows);
  return { columns: found.columns.map((column) => `${column.name}:${column.kind}`), ignored: found.ignored };
};

describe('the opt-out columns of a contact export', () => {
  it('finds the flags and statuses of common CRMs and ESPs', () => {
    expect(names(['First Name', 'Email', 'Email Opt Out'], [['Ann', 'ann@example.com', '0']]).columns).toEqual(['Email Opt Out:flag']);
    expect(names(['Record ID', 'Email', 'Unsubscribed from all email']).columns).toEqual(['Unsubscribed from all email:flag']);
    expect(names(['EMAIL', 'FIRSTNAME', 'EMAIL_BLACKLISTED', 'SMS_BLACKLISTED']).columns).toEqual(['EMAIL_BLACKLISTED:flag']);
    expect(names(['Id', 'Email', 'HasOptedOutOfEmail']).columns).toEqual(['HasOptedOutOfEmail:flag']);
    expect(names(['Person - Name', 'Person - Email - Work', 'Person - Marketing status']).columns).toEqual([
      'Person - Marketing status:status',
    ]);
    expect(names(['Email Address', 'UNSUB_TIME']).columns).toEqual(['UNSUB_TIME:flag']);
    expect(names(['Email', 'First Name', 'Email Marketing Consent', 'SMS Marketing Consent']).columns).toEqual([
      'Email Marketing Consent:status',
    ]);
    expect(names(['Email address', 'First name', 'Email permission status']).columns).toEqual(['Email permission status:status']);
  });

  it("reads Klaviyo's and Constant Contact's consent values: only an unsubscribe is an opt-out", () => {
    const { columns } = findOptOutColumns(['Email', 'Email Marketing Consent'], []);
    expect(optedOut(['ann@example.com', 'UNSUBSCRIBED'], columns)).toEqual({ column: 'Email Marketing Consent', value: 'UNSUBSCRIBED' });
    for (const kept of ['SUBSCRIBED', 'NEVER_SUBSCRIBED', 'Implicit', 'Explicit', 'Pending Confirmation'])
      expect(optedOut(['ann@example.com', kept], columns)).toBeNull();
  });

  it('reads an opt-out named among other words in a status (Keap), never an opt-in', () => {
    const { columns } = findOptOutColumns(['Email', 'Email Status'], []);
    for (const out of ['Opt-Out: Manual', 'System Opt Out', 'Manual Opt-Out', 'Unsubscribed via link', 'Opted out (admin)'])
      expect(optedOut(['ann@example.com', out], columns), out).toEqual({ column: 'Email Status', value: out });
    for (const kept of ['Single Opt-in', 'Double Opt-in', 'Resubscribed', 'Unengaged Marketable', 'Non-Marketable', 'Subscribed'])
      expect(optedOut(['ann@example.com', kept], columns), kept).toBeNull();
  });

  it("reads a shop's marketing consent (Shopify), where a no is the mark, and Substack's email_disabled", () => {
    const { columns } = findOptOutColumns(['Customer ID', 'Email', 'Accepts Email Marketing', 'Accepts SMS Marketing'], []);
    expect(columns.map((column) => `${column.name}:${column.kind}`)).toEqual(['Accepts Email Marketing:consent']);
    expect(optedOut(['1', 'ann@example.com', 'no', 'yes'], columns)).toEqual({ column: 'Accepts Email Marketing', value: 'no' });
    for (const kept of ['yes', '', '2024-05-01']) expect(optedOut(['1', 'ann@example.com', kept, 'no'], columns)).toBeNull();
    const substack = findOptOutColumns(['email', 'active_subscription', 'email_disabled'], [['ann@example.com', 'true', 'false']]);
    expect(optedOut(['ann@example.com', 'false', 'true'], substack.columns)).toEqual({ column: 'email_disabled', value: 'true' });
  });

  it("leaves a record's stage alone: HubSpot's Lead Status is not a subscription", () => {
    expect(names(['Email', 'Lead Status', 'Lifecycle Stage', 'Email Opt In']).columns).toEqual([]);
  });

  it('does not read a flag column whose values are notes, and says so', () => {
    expect(names(['Email', 'Unsubscribed'], [['ann@example.com', 'asked by phone']])).toEqual({ columns: [], ignored: ['Unsubscribed'] });
  });

  it('reads yes in many spellings, a date as "when it happened", and an opt-out status', () => {
    const { columns } = findOptOutColumns(['Email', 'Email Opt Out', 'Unsubscribed At', 'Status'], []);
    const row = (flag: string, date: string, status: string) => optedOut(['ann@example.com', flag, date, status], columns);
    for (const yes of ['1', 'true', 'TRUE', 'Yes', 'x', 'ja', 'oui'])
      expect(row(yes, '', '')).toEqual({ column: 'Email Opt Out', value: yes });
    for (const no of ['0', 'false', 'No', '', 'nein']) expect(row(no, '', 'subscribed')).toBeNull();
    expect(row('', '2025-01-02 10:00:00', '')).toEqual({ column: 'Unsubscribed At', value: '2025-01-02 10:00:00' });
    expect(row('', '', 'Opted Out')).toEqual({ column: 'Status', value: 'Opted Out' });
    expect(row('', '', 'unsubscribed')).toEqual({ column: 'Status', value: 'unsubscribed' });
    expect(row('', '', 'Cleaned')).toBeNull();
  });
});
