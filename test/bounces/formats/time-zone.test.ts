import { describe, expect, it } from 'vitest';
import { eximFormat } from '../../../src/bounces/formats/exim.js';
import { postfixFormat } from '../../../src/bounces/formats/postfix.js';
import { sendmailFormat } from '../../../src/bounces/formats/sendmail.js';
import { machineTimeZone, parseTimeZone, type TimeZone } from '../../../src/bounces/time-zone.js';
import { parseRecords } from '../../helpers.js';

function zone(name: string): TimeZone {
  const parsed = parseTimeZone(name);
  if (parsed === null) throw new Error(`no zone ${name}`);
  return parsed;
}

/** The instant of a wall-clock time read in `name`. */
function instant(name: string, wall: string): string {
  return new Date(zone(name).toEpoch(Date.parse(`${wall}Z`))).toISOString();
}

describe('time zones of log times that name none', () => {
  it('reads UTC, offsets and IANA names, and refuses what is none of them', () => {
    expect(parseTimeZone('UTC')?.name).toBe('UTC');
    expect(parseTimeZone('Z')?.name).toBe('UTC');
    expect(parseTimeZone('+01:00')?.name).toBe('+01:00');
    expect(parseTimeZone('-0530')?.name).toBe('-05:30');
    expect(parseTimeZone('+05')?.name).toBe('+05:00');
    expect(parseTimeZone('Europe/Berlin')?.name).toBe('Europe/Berlin');
    for (const bad of ['Mars/Base', '+25:00', '+01:75', 'Europe/Berlin; rm -rf /', '', 'local']) expect(parseTimeZone(bad)).toBeNull();
  });

  it('converts wall-clock times at fixed offsets and in IANA zones, summer and winter', () => {
    expect(instant('+05:30', '2026-07-01T12:00:00')).toBe('2026-07-01T06:30:00.000Z');
    expect(instant('-05:00', '2026-07-01T12:00:00')).toBe('2026-07-01T17:00:00.000Z');
    expect(instant('Europe/Berlin', '2026-01-15T12:00:00')).toBe('2026-01-15T11:00:00.000Z');
    expect(instant('Europe/Berlin', '2026-07-15T12:00:00')).toBe('2026-07-15T10:00:00.000Z');
    expect(instant('America/New_York', '2026-07-15T12:00:00')).toBe('2026-07-15T16:00:00.000Z');
  });

  it('reads the hour repeated in autumn as the earlier instant and the hour skipped in spring shifted forward', () => {
    // Berlin: 2026-03-29 02:00 CET -> 03:00 CEST; 2026-10-25 03:00 CEST -> 02:00 CET.
    expect(instant('Europe/Berlin', '2026-03-29T01:59:59')).toBe('2026-03-29T00:59:59.000Z');
    expect(instant('Europe/Berlin', '2026-03-29T02:30:00')).toBe('2026-03-29T01:30:00.000Z'); // = 03:30 CEST
    expect(instant('Europe/Berlin', '2026-03-29T03:00:00')).toBe('2026-03-29T01:00:00.000Z');
    expect(instant('Europe/Berlin', '2026-10-25T01:59:59')).toBe('2026-10-24T23:59:59.000Z');
    expect(instant('Europe/Berlin', '2026-10-25T02:30:00')).toBe('2026-10-25T00:30:00.000Z'); // CEST, the first 02:30
    expect(instant('Europe/Berlin', '2026-10-25T03:00:00')).toBe('2026-10-25T02:00:00.000Z');
    // New York: 2026-11-01 02:00 EDT -> 01:00 EST.
    expect(instant('America/New_York', '2026-11-01T01:30:00')).toBe('2026-11-01T05:30:00.000Z');
    expect(instant('America/New_York', '2026-11-01T02:30:00')).toBe('2026-11-01T07:30:00.000Z');
  });

  it("takes the machine's zone from TZ", () => {
    const saved = process.env.TZ;
    try {
      process.env.TZ = 'Asia/Tokyo';
      expect(machineTimeZone().name).toBe('Asia/Tokyo');
      process.env.TZ = 'UTC';
      expect(machineTimeZone().name).toBe('UTC');
    } finally {
      process.env.TZ = saved;
    }
  });
});

describe('MTA logs read in a zone', () => {
  const berlin = zone('Europe/Berlin');

  it('Postfix: local syslog stamps across the spring change; stamps with their own offset keep it', async () => {
    const records = await parseRecords(
      postfixFormat,
      [
        'Mar 29 01:59:59 mx1 postfix/smtp[1]: 4B2A1C: to=<ann@example.org>, relay=none, delay=1, status=deferred (connect timeout)',
        'Mar 29 03:00:01 mx1 postfix/smtp[1]: 4B2A1C: to=<ann@example.org>, relay=none, delay=1, status=deferred (connect timeout)',
        '2026-03-29T03:00:01.000000+02:00 mx1 postfix/smtp[1]: 4B2A1C: to=<ann@example.org>, relay=none, delay=1, status=deferred (connect timeout)',
        '2026-03-29T03:00:01 mx1 postfix/smtp[1]: 4B2A1C: to=<ann@example.org>, relay=none, delay=1, status=deferred (connect timeout)',
      ].join('\n'),
      { year: 2026, timeZone: berlin },
    );
    expect(records.map((record) => record.at)).toEqual([
      '2026-03-29T00:59:59.000Z',
      '2026-03-29T01:00:01.000Z',
      '2026-03-29T01:00:01.000Z',
      '2026-03-29T01:00:01.000Z',
    ]);
  });

  it('Sendmail: local syslog stamps across the autumn change', async () => {
    const records = await parseRecords(
      sendmailFormat,
      [
        'Oct 25 02:30:00 mx1 sm-mta[11]: u31FFPtp032300: to=<ann@example.org>, delay=00:00:01, mailer=esmtp, pri=1, relay=mx.example.org. [192.0.2.7], dsn=2.0.0, stat=Sent (ok)',
        'Oct 25 03:30:00 mx1 sm-mta[11]: u31FFPtp032301: to=<bob@example.org>, delay=00:00:01, mailer=esmtp, pri=1, relay=mx.example.org. [192.0.2.7], dsn=2.0.0, stat=Sent (ok)',
      ].join('\n'),
      { year: 2026, timeZone: berlin },
    );
    expect(records.map((record) => record.at)).toEqual(['2026-10-25T00:30:00.000Z', '2026-10-25T02:30:00.000Z']);
  });

  it('Exim: local main-log times; a logged offset wins', async () => {
    const records = await parseRecords(
      eximFormat,
      [
        '2026-07-01 12:00:00 1j5NyY-0004Xp-NZ ** ann@example.org: Unrouteable address',
        '2026-07-01 12:00:00 +0000 1j5NyY-0004Xp-NZ ** bob@example.org: Unrouteable address',
      ].join('\n'),
      { timeZone: zone('America/New_York') },
    );
    expect(records.map((record) => record.at)).toEqual(['2026-07-01T16:00:00.000Z', '2026-07-01T12:00:00.000Z']);
  });

  it('reads times without a zone as UTC when the caller names none', async () => {
    const [record] = await parseRecords(
      postfixFormat,
      'Jul  1 12:00:00 mx1 postfix/smtp[1]: 4B2A1C: to=<ann@example.org>, relay=none, delay=1, status=deferred (connect timeout)',
      { year: 2026 },
    );
    expect(record?.at).toBe('2026-07-01T12:00:00.000Z');
  });
});
