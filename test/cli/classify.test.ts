import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { expectMatchesFile, REPO, runCli } from './run-cli.js';

const FIXTURES = path.join(REPO, 'fixtures/bounces');
const tmp = () => mkdtempSync(path.join(os.tmpdir(), 'hygiene-classify-'));

const inputs = readdirSync(FIXTURES, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .flatMap((dir) => readdirSync(path.join(FIXTURES, dir.name)).map((file) => ({ format: dir.name, file })));

describe('hygiene classify: one end-to-end run per format fixture, whole JSONL compared', () => {
  for (const { format, file } of inputs) {
    it(`${format}/${file}`, () => {
      const relative = `fixtures/bounces/${format}/${file}`;
      const result = runCli(['classify', relative, '--format', 'jsonl', '--year', '2026']);
      expect(result.status, result.stderr).toBe(0);
      const lines = result.stdout.trim().split('\n');
      for (const line of lines) {
        const record = JSON.parse(line);
        expect(Object.keys(record)).toEqual([
          'recipient',
          'class',
          'reason',
          'action',
          'status',
          'smtpCode',
          'diagnostic',
          'remoteMta',
          'at',
          'queueId',
          'format',
          'source',
          'finalRecipient',
        ]);
        if (!['eml', 'mbox'].includes(format)) expect(record.format).toBe(format.replace(/^generic$/, record.format));
        expect(record.source.startsWith(relative)).toBe(true);
      }
      expect(result.stderr).toMatch(/lines read, \d+ delivery records, \d+ skipped as not about delivery, \d+ unparsed/);
      expectMatchesFile(result.stdout, `classify/${format}/${file}.jsonl`);
    });
  }
});

describe('hygiene classify: inputs and outputs', () => {
  it('says which times of an export it could not read (a soft bounce without a time waits out no delay)', () => {
    const dir = tmp();
    const file = path.join(dir, 'bounces.csv');
    writeFileSync(
      file,
      'email,reason,date\nann@example.com,452 4.2.2 mailbox full,yesterday\nbob@example.org,550 5.1.1 user unknown,2026-11-02\n',
    );
    const result = runCli(['classify', file, '--format', 'jsonl']);
    expect(result.status).toBe(0);
    expect(result.stderr).toContain(`note: 1 bounce record(s) hold a time hygiene could not read (${file}:2 "yesterday")`);
    expect(result.stderr).not.toContain('more values than its header');
    const split = path.join(dir, 'split.csv');
    writeFileSync(split, 'email,reason,date\nann@example.com,550 5.1.1 user unknown, try later,2026-11-02\n');
    expect(runCli(['classify', split]).stderr).toContain(`note: 1 row(s) of a bounce export hold more values than its header (${split}:2)`);
    const list = path.join(dir, 'list.csv');
    writeFileSync(list, 'Email\nann@example.com\n');
    const out = path.join(dir, 'out');
    const clean = runCli(['clean', list, '--bounces', file, '--no-state', '--out-dir', out]);
    expect(clean.status).toBe(0);
    const report = JSON.parse(readFileSync(path.join(out, 'report.json'), 'utf8'));
    expect(report.bounces.warnings).toEqual([expect.stringContaining('bounces.csv:2 "yesterday"')]);
  });

  it('merges several inputs, reads gzip and stdin', () => {
    const dir = tmp();
    const log = path.join(REPO, 'fixtures/demo/bounces/mail.log');
    const gz = path.join(dir, 'mail.log.2.gz');
    writeFileSync(
      gz,
      gzipSync(
        Buffer.from(
          '2026-11-01T00:00:00+00:00 mx1 postfix/smtp[1]: AAA111: to=<zed@example.org>, relay=none, delay=1, delays=1/0/0/0, dsn=5.1.1, status=bounced (host mx.example.org[192.0.2.1] said: 550 5.1.1 No such user (in reply to RCPT TO command))\n',
        ),
      ),
    );
    const result = runCli(['classify', gz, log, '--format', 'jsonl']);
    expect(result.status).toBe(0);
    const records = result.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(records[0].recipient).toBe('zed@example.org');
    const times = records.map((r) => r.at).filter(Boolean);
    expect([...times].sort()).toEqual(times);
    const piped = runCli(['classify', '-', '--format', 'csv'], {
      input:
        '2026-11-01T00:00:00+00:00 mx1 postfix/smtp[1]: AAA111: to=<zed@example.org>, relay=none, delay=1, delays=1/0/0/0, dsn=4.2.2, status=deferred (host mx.example.org[192.0.2.1] said: 452 4.2.2 Mailbox full (in reply to RCPT TO command))\n',
    });
    expect(piped.stdout.split('\n')[0]).toBe(
      'recipient,class,reason,action,status,smtpCode,diagnostic,remoteMta,at,queueId,format,source,finalRecipient',
    );
    expect(piped.stdout).toMatch(/zed@example\.org,soft,mailboxfull,delayed,4\.2\.2,452,/);
  });

  it('lists the formats', () => {
    const result = runCli(['classify', '--list-formats']);
    for (const name of [
      'postfix',
      'exim',
      'sendmail',
      'qmail',
      'powermta',
      'haraka',
      'ses',
      'sendgrid',
      'mailgun',
      'postmark',
      'sparkpost',
      'mandrill',
      'mailchimp',
      'generic-csv',
      'generic-jsonl',
      'eml',
      'mbox',
    ]) {
      expect(result.stdout).toMatch(new RegExp(`^${name} `, 'm'));
    }
  });

  it('an unknown format exits 2 naming the file, the formats tried and --input-format', () => {
    const dir = tmp();
    const file = path.join(dir, 'notes.txt');
    writeFileSync(file, 'Dear diary,\nnothing bounced today.\n');
    const result = runCli(['classify', file]);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(`${file}: unknown bounce format`);
    expect(result.stderr).toMatch(/postfix.*exim.*sendmail/);
    expect(result.stderr).toMatch(/--input-format/);
  });

  it('a list of addresses without bounce columns (a spam-report export) exits 2 pointing at suppressions import', () => {
    const dir = tmp();
    const file = path.join(dir, 'spam_reports.csv');
    writeFileSync(file, 'created,email,ip\n1733140000,ann@example.org,192.0.2.1\n');
    const result = runCli(['classify', file]);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(`${file}: unknown bounce format`);
    expect(result.stderr).toContain(`hygiene suppressions import ${file}`);
  });

  it("a systemd journal's JSON export exits 2 saying to export its text lines instead", () => {
    const dir = tmp();
    const file = path.join(dir, 'journal.json');
    writeFileSync(
      file,
      '{"__REALTIME_TIMESTAMP":"1795514400123456","_HOSTNAME":"mx1","SYSLOG_IDENTIFIER":"postfix/smtp","MESSAGE":"4F2A11C0: to=<ann@example.org>, status=bounced (550 5.1.1 unknown)"}\n',
    );
    const result = runCli(['classify', file]);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(`${file}: unknown bounce format`);
    expect(result.stderr).toContain('journalctl -u postfix -o short-iso');
  });

  it('an Outlook item, an Outlook data file or a zip archive exits 2 saying how to get the messages out', () => {
    const dir = tmp();
    const cases: Array<[string, Buffer, string]> = [
      ['bounce.msg', Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0, 0, 0]), 'save the bounces as .eml'],
      ['Outlook.pst', Buffer.from('!BDN\u0000\u0000\u0000\u0000', 'latin1'), 'export the folder that holds the bounces as mbox'],
      ['bounces.zip', Buffer.from('PK\u0003\u0004\u0014\u0000\u0000\u0000', 'latin1'), 'unpack it'],
    ];
    for (const [name, bytes, hint] of cases) {
      const file = path.join(dir, name);
      writeFileSync(file, bytes);
      const result = runCli(['classify', file]);
      expect(result.status, name).toBe(2);
      expect(result.stderr, name).toContain(hint);
    }
  });

  it('a malformed line is counted and listed; --strict makes it fatal', () => {
    const dir = tmp();
    const file = path.join(dir, 'events.jsonl');
    writeFileSync(
      file,
      '{"email":"ann@example.org","event":"bounce","type":"bounce","status":"5.1.1","reason":"550 5.1.1 unknown user","timestamp":1763900000,"sg_message_id":"m1"}\n{"email": "bob@example.org", "event": "bou\n{"email":"cy@example.org","event":"delivered","timestamp":1763900001,"sg_message_id":"m2"}\n',
    );
    const lenient = runCli(['classify', file, '--format', 'jsonl']);
    expect(lenient.status).toBe(0);
    expect(lenient.stdout.trim().split('\n')).toHaveLength(2);
    expect(lenient.stderr).toContain(`${file}:2`);
    expect(lenient.stderr).toMatch(/1 unparsed/);
    const strict = runCli(['classify', file, '--strict']);
    expect(strict.status).toBe(2);
    expect(strict.stderr).toContain(`${file}:2`);
  });

  it('a truncated .gz keeps what was read and says where it stopped', () => {
    const dir = tmp();
    const lines = Array.from(
      { length: 2000 },
      (_, i) =>
        `2026-11-01T00:00:${String(i % 60).padStart(2, '0')}+00:00 mx1 postfix/smtp[1]: ${(0xa10000 + i).toString(16).toUpperCase()}: to=<u${i}@example.org>, relay=none, delay=1, delays=1/0/0/0, dsn=5.1.1, status=bounced (host mx.example.org[192.0.2.1] said: 550 5.1.1 No such user (in reply to RCPT TO command))`,
    ).join('\n');
    const full = gzipSync(Buffer.from(lines));
    const file = path.join(dir, 'mail.log.3.gz');
    writeFileSync(file, full.subarray(0, Math.floor(full.length / 2)));
    const result = runCli(['classify', file, '--format', 'jsonl']);
    expect(result.status).toBe(0);
    expect(result.stdout.trim().split('\n').length).toBeGreaterThan(10);
    expect(result.stderr).toMatch(/truncated or corrupt/);
    expect(runCli(['classify', file, '--strict']).status).toBe(2);
  });

  it('reads the files a quoted glob matches, in name order, and exits 2 when it matches none', () => {
    const dir = tmp();
    const log = readFileSync(path.join(FIXTURES, 'postfix/mail.log'), 'utf8').split('\n');
    const half = Math.ceil(log.length / 2);
    writeFileSync(path.join(dir, 'mail.log.1'), `${log.slice(0, half).join('\n')}\n`);
    writeFileSync(path.join(dir, 'mail.log.2'), `${log.slice(half).join('\n')}`);
    writeFileSync(path.join(dir, 'other.txt'), 'not a log\n');
    const whole = runCli(['classify', path.join(FIXTURES, 'postfix/mail.log'), '--format', 'jsonl', '--year', '2026']);
    const globbed = runCli(['classify', `${dir}/mail.log.*`, '--format', 'jsonl', '--year', '2026']);
    expect(globbed.status, globbed.stderr).toBe(0);
    const sources = (output: string) =>
      output
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line).recipient as string);
    expect(sources(globbed.stdout).sort()).toEqual(sources(whole.stdout).sort());
    // Sources name the files as the pattern did: absolute here, whatever the working folder.
    const files = new Set(
      globbed.stdout
        .trim()
        .split('\n')
        .map((line) => (JSON.parse(line).source as string).replace(/:\d+$/, '')),
    );
    expect([...files].sort()).toEqual([`${dir}/mail.log.1`, `${dir}/mail.log.2`]);
    const relative = runCli(['classify', 'mail.log.*', '--format', 'jsonl', '--year', '2026'], { cwd: dir });
    expect(relative.stdout).toContain('"source":"mail.log.1:');
    const none = runCli(['classify', `${dir}/*.gz`]);
    expect(none.status).toBe(2);
    expect(none.stderr).toContain('matches no file');
  });

  it('an empty file named on the command line exits 2', () => {
    const dir = tmp();
    const file = path.join(dir, 'empty.eml');
    writeFileSync(file, '');
    const result = runCli(['classify', file]);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(`${file}: the file is empty`);
  });
});
