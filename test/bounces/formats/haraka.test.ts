import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { harakaFormat } from '../../../src/bounces/formats/haraka.js';
import { parseRecords, parseText } from '../../helpers.js';

const fixtureDir = path.join(__dirname, '../../../fixtures/bounces');
const fixture = (name: string): string => readFileSync(path.join(fixtureDir, name), 'utf8');
const OTHER_FIXTURES = ['postfix/mail.log', 'exim/mainlog', 'sendmail/maillog', 'powermta/acct-2026-11-02.csv'];
const TX = '9A1F0E2C-4B3D-4E5F-8A7B-6C5D4E3F2A1B.1';

const summary = (records: Awaited<ReturnType<typeof parseRecords>>) =>
  records.map((r) => `${r.source} ${r.recipient} ${r.action} ${r.status ?? '-'} ${r.smtpCode ?? '-'}`);

describe('haraka detection', () => {
  it('is sure about a Haraka log with outbound results', () => {
    expect(harakaFormat.detect(fixture('haraka/haraka.log'), 'haraka.log')).toBeGreaterThanOrEqual(0.9);
  });

  it.each(OTHER_FIXTURES)('does not claim %s', (name) => {
    expect(harakaFormat.detect(fixture(name), name)).toBe(0);
  });

  it('recognises the JSON and logfmt log formats', () => {
    const json =
      '{"level":"NOTICE","uuid":"A.1.1","origin":"outbound","message":"recipient <a@example.org> rejected: 550 5.1.1 No such user"}';
    const logfmt = 'level=NOTICE uuid=A.1.1 origin=outbound message="recipient <a@example.org> rejected: 550 5.1.1 No such user"';
    expect(harakaFormat.detect(json, 'haraka.json')).toBeGreaterThanOrEqual(0.9);
    expect(harakaFormat.detect(logfmt, 'haraka.log')).toBeGreaterThanOrEqual(0.9);
  });
});

describe('haraka outbound results', () => {
  it('reads every delivery result of the fixture', async () => {
    const records = await parseRecords(harakaFormat, fixture('haraka/haraka.log'), { file: 'haraka.log' });
    expect(summary(records)).toEqual([
      'haraka.log:17 bo@example.org failed 5.1.1 550', // recipient ... rejected
      'haraka.log:18 amy@example.org delivered - -', // delivered, less the rejected one
      'haraka.log:21 cy.ruiz.88@gmail.com failed 5.7.1 550', // whole item: 2nd domain of the transaction
      'haraka.log:22 dot@example.net delayed 4.7.0 421', // whole item deferred
      'haraka.log:22 eli@example.net delayed 4.7.0 421',
      'haraka.log:23 dot@example.net delayed 4.2.2 452', // recipient ... deferred
      'haraka.log:24 eli@example.net delivered - -',
      'haraka.log:26 dot@example.net delayed 4.2.2 452',
      'haraka.log:32 fay@example.invalid failed - -', // MX lookup names the domain
      'haraka.log:35 gus@example.com failed 5.7.1 554',
      'haraka.log:37 dot@example.net delayed 4.2.2 452',
      'haraka.log:38 dot@example.net failed 4.4.7 -', // Too many failures: expired
    ]);
  });

  it('fills the evidence of a per-recipient rejection', async () => {
    const records = await parseRecords(harakaFormat, fixture('haraka/haraka.log'), { file: 'haraka.log' });
    expect(records[0]).toEqual({
      recipient: 'bo@example.org',
      action: 'failed',
      status: '5.1.1',
      smtpCode: '550',
      diagnostic: '550 5.1.1 <bo@example.org>: Recipient address rejected: User unknown in virtual mailbox table',
      remoteMta: null,
      command: 'RCPT',
      at: '2026-11-02T10:00:02.230Z',
      queueId: `${TX}.1`,
      messageKey: `${TX}.1`,
      source: 'haraka.log:17',
    });
  });

  it('takes the remote host and response of a delivered line', async () => {
    const records = await parseRecords(harakaFormat, fixture('haraka/haraka.log'));
    expect(records.find((r) => r.recipient === 'amy@example.org')).toMatchObject({
      remoteMta: 'mx.example.org',
      diagnostic: 'Ok: queued as 4F2A11C0',
    });
  });

  it('explains an expiry with the last temporary reply', async () => {
    const records = await parseRecords(harakaFormat, fixture('haraka/haraka.log'));
    expect(records.at(-1)?.diagnostic).toBe('message expired in queue: 452 4.2.2 Mailbox full');
  });

  it('does not repeat per-recipient results announced again for the whole item', async () => {
    const items = await parseText(harakaFormat, fixture('haraka/haraka.log'));
    const skipped = new Set(items.flatMap((item) => (item.kind === 'skipped' ? [item.line] : [])));
    // "bouncing mail: Some recipients failed", "Temp failing ...: Some recipients temp failed"
    for (const lineNumber of [19, 25, 27, 36]) expect(skipped.has(lineNumber)).toBe(true);
  });

  it('skips a whole-item line it cannot attribute (mail injected without inbound lines)', async () => {
    const items = await parseText(
      harakaFormat,
      '[INFO] [C0FFEE00-0000-4000-8000-000000000001.1.1] [outbound] bouncing mail: 550 5.7.1 Rejected',
    );
    expect(items).toEqual([{ kind: 'skipped', line: 1 }]);
  });

  it('counts a recipient result without an address as malformed', async () => {
    const items = await parseText(harakaFormat, fixture('haraka/haraka.log'));
    expect(items.filter((item) => item.kind === 'malformed')).toEqual([
      { kind: 'malformed', line: 34, message: 'Haraka recipient result without a readable address' },
    ]);
  });

  it('reads the JSON log format', async () => {
    const text = [
      '{"level":"NOTICE","uuid":"B.1","origin":"core","message":"recipient <one@example.org>","code":"OK","msg":"","sender":"news@example.com"}',
      '{"level":"NOTICE","uuid":"B.1","origin":"core","message":"recipient <two@example.org>","code":"OK","msg":"","sender":"news@example.com"}',
      '{"level":"NOTICE","uuid":"B.1.1","origin":"outbound","message":"recipient <two@example.org> rejected: 550 5.1.1 No such user"}',
      '{"level":"NOTICE","uuid":"B.1.1","origin":"outbound","message":"","delivered file":"f1","domain":"example.org","host":"mx.example.org","ip":"192.0.2.7","port":25,"mode":"SMTP","tls":"Y","auth":"N","response":"Ok: queued as X","delay":0.5,"fails":0,"rcpts":"1/0/1"}',
      '{"level":"NOTICE","uuid":"B.1.1","origin":"outbound","message":"recipient <x@example.org> rejected',
    ].join('\n');
    const items = await parseText(harakaFormat, text);
    const records = items.flatMap((item) => (item.kind === 'record' ? [item.record] : []));
    expect(records.map((r) => `${r.recipient} ${r.action} ${r.remoteMta ?? '-'}`)).toEqual([
      'two@example.org failed -',
      'one@example.org delivered mx.example.org',
    ]);
    expect(items.at(-1)).toEqual({ kind: 'malformed', line: 5, message: 'Haraka JSON log line that is not valid JSON' });
  });

  it('reads the logfmt log format', async () => {
    const text = [
      'level=NOTICE uuid=C.1 origin=core message="recipient <one@example.net>" code=OK msg="" sender=news@example.com',
      'level=NOTICE uuid=C.1.1 origin=outbound message="recipient <one@example.net> deferred: 451 4.7.1 Greylisted, see \\"policy\\""',
      'level=INFO uuid=C.1.1 origin=outbound message="Temp failing 1793613668720_1793613668720_1_4101_cD4yR_3_mx1 for 300 seconds: Some recipients temp failed: <one@example.net>"',
      'level=NOTICE uuid=C.1.1 origin=outbound message="" delivered file=f2 domain=example.net host=mx.example.net ip=192.0.2.9 port=25 mode=SMTP tls=Y auth=N response="2.0.0 Ok" delay=300 fails=1 rcpts=1/0/0',
    ].join('\n');
    const records = await parseRecords(harakaFormat, text);
    expect(records.map((r) => `${r.recipient} ${r.action} ${r.smtpCode ?? '-'} ${r.diagnostic ?? ''}`)).toEqual([
      'one@example.net delayed 451 451 4.7.1 Greylisted, see "policy"',
      'one@example.net delivered - 2.0.0 Ok',
    ]);
  });

  it('reads lines that went through syslog, with the syslog time', async () => {
    const [record] = await parseRecords(
      harakaFormat,
      'Nov  2 10:00:02 mx1 haraka[321]: [NOTICE] [D.1.1] [outbound] recipient <a@example.org> rejected: 550 5.1.1 No such user',
      { year: 2026 },
    );
    expect(record).toMatchObject({ recipient: 'a@example.org', action: 'failed', at: '2026-11-02T10:00:02.000Z' });
  });

  it('has no time when Haraka logs without time stamps', async () => {
    const [record] = await parseRecords(
      harakaFormat,
      '[NOTICE] [D.1.1] [outbound] recipient <a@example.org> deferred: 421 4.7.0 Try later',
    );
    expect(record).toMatchObject({ action: 'delayed', at: null, smtpCode: '421', status: '4.7.0' });
  });

  it('parses 1 MB lines without blowing up', async () => {
    const hostileDefault = `[NOTICE] [E.1.1] [outbound] recipient <a@example.org> rejected: 550 ${'] [ '.repeat(300_000)}`;
    const hostileLogfmt = `level=NOTICE uuid=E.1.1 origin=outbound message="${'\\"'.repeat(600_000)}`;
    const hostileJson = `{"level":"NOTICE","origin":"outbound","message":"${'x'.repeat(1_100_000)}"}`;
    const items = await parseText(harakaFormat, [hostileDefault, hostileLogfmt, hostileJson].join('\n'));
    expect(items.map((item) => item.kind)).toEqual(['record', 'skipped', 'malformed']);
    if (items[0]?.kind === 'record') expect(items[0].record.diagnostic?.length).toBeLessThanOrEqual(8192);
  });
});
