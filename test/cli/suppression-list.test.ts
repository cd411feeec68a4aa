import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

const NOW = '2026-11-23T18:00:00Z';

/** A history database with the demo bounces (5 hard, 2 complaints, soft bounces) and an import. */
function demoState(): string {
  const state = path.join(mkdtempSync(path.join(os.tmpdir(), 'hygiene-supp-')), 'history.db');
  expect(runCli(['ingest', 'fixtures/demo/bounces', '--state', state]).status).toBe(0);
  expect(runCli(['suppressions', 'import', 'fixtures/suppressions/sendgrid-spam_reports.csv', '--state', state]).status).toBe(0);
  return state;
}

const csvLines = (text: string) => text.trim().split(/\r?\n/);

describe('the effective suppression list', () => {
  it('lists every address the history suppresses now, learnt or imported, with reason, source and date', () => {
    const state = demoState();
    const result = runCli(['suppressions', 'export', '--state', state, '--now', NOW]);
    expect(result.status).toBe(0);
    const [header, ...rows] = csvLines(result.stdout);
    expect(header).toBe('email,reason,source,date,detail,list_reason');
    const reasons = rows.map((row) => row.split(',')[1]);
    expect(reasons.filter((r) => r === 'hard-bounce').length).toBeGreaterThanOrEqual(5);
    expect(reasons.filter((r) => r === 'complaint').length).toBe(2);
    expect(reasons).toContain('soft-bounce-limit');
    expect(rows.find((row) => row.startsWith('angry.reader@example.org,'))).toMatch(
      /^angry\.reader@example\.org,imported,import:sendgrid .*spam_reports\.csv:2,2026-02-11T17:40:12\.000Z,.*,complaint$/,
    );
    // Every listed address is suppressed by clean's own decision.
    const listed = runCli(['suppressions', 'list', '--state', state, '--now', NOW]);
    expect(listed.stderr).toMatch(
      new RegExp(`^${rows.length} suppressed address\\(es\\): \\d+ hard-bounce, 2 complaint, \\d+ soft-bounce-limit, 1 imported`, 'm'),
    );
  });

  it('leaves out what unsuppress cleared', () => {
    const state = demoState();
    const before = csvLines(runCli(['suppressions', 'export', '--state', state, '--now', NOW]).stdout);
    const hard = before.find((row) => row.includes(',hard-bounce,'))!.split(',')[0]!;
    expect(runCli(['unsuppress', hard, '--note', 'fixed', '--state', state, '--now', NOW]).status).toBe(0);
    const after = csvLines(runCli(['suppressions', 'export', '--state', state, '--now', NOW]).stdout);
    expect(after.length).toBe(before.length - 1);
    expect(after.some((row) => row.startsWith(`${hard},`))).toBe(false);
  });

  it('--only manual|imported|learnt narrows it', () => {
    const state = demoState();
    expect(runCli(['suppressions', 'import', 'fixtures/suppressions/plain-list.txt', '--state', state]).status).toBe(0);
    // As of today: the plain list was imported today (an entry added later than --now does not count yet).
    const only = (kind: string) => csvLines(runCli(['suppressions', 'export', '--only', kind, '--state', state]).stdout).slice(1);
    // One SendGrid spam report and the three addresses of the plain list.
    expect(only('imported').map((row) => row.split(',')[1])).toEqual(['imported', 'imported', 'imported', 'imported']);
    expect(only('manual')).toEqual([]);
    expect(only('learnt').every((row) => /,(hard-bounce|complaint|soft-bounce-limit),/.test(row))).toBe(true);
    const bad = runCli(['suppressions', 'list', '--only', 'everything', '--state', state]);
    expect(bad.status).toBe(2);
  });

  it('exports the layouts SendGrid, Mailchimp and SES import', () => {
    const state = demoState();
    const plain = csvLines(runCli(['suppressions', 'export', '--state', state, '--now', NOW]).stdout).slice(1);
    const emails = plain.map((row) => row.split(',')[0]);
    const sendgrid = csvLines(runCli(['suppressions', 'export', '--format', 'sendgrid', '--state', state, '--now', NOW]).stdout);
    expect(sendgrid).toEqual(['email', ...emails]);
    const mailchimp = csvLines(runCli(['suppressions', 'export', '--format', 'mailchimp', '--state', state, '--now', NOW]).stdout);
    expect(mailchimp).toEqual(['Email Address', ...emails]);
    const ses = csvLines(runCli(['suppressions', 'export', '--format', 'ses', '--state', state, '--now', NOW]).stdout);
    expect(ses.map((row) => row.split(',')[0])).toEqual(emails);
    expect(ses.every((row) => /^[^,]+,(BOUNCE|COMPLAINT)$/.test(row))).toBe(true);
    expect(ses.filter((row) => row.endsWith(',COMPLAINT')).length).toBe(3);
  });
});

describe('suppressions import', () => {
  it('reads Mailchimp unsubscribed and cleaned member exports', () => {
    const state = path.join(mkdtempSync(path.join(os.tmpdir(), 'hygiene-supp-')), 'history.db');
    const result = runCli([
      'suppressions',
      'import',
      'fixtures/suppressions/mailchimp-unsubscribed_members_export.csv',
      'fixtures/suppressions/mailchimp-cleaned_members_export.csv',
      '--state',
      state,
    ]);
    expect(result.status).toBe(0);
    expect(result.stderr).toMatch(/\(mailchimp\): 2 address\(es\): 2 added/);
    const rows = csvLines(runCli(['suppressions', 'export', '--state', state, '--now', NOW]).stdout).slice(1);
    expect(rows).toHaveLength(3);
    expect(rows.find((row) => row.startsWith('dead.box@example.net,'))).toMatch(
      /,2026-03-03T03:03:03\.000Z,.*cleaned by Mailchimp.*,hard-bounce$/,
    );
    expect(rows.find((row) => row.startsWith('gone.away@example.com,'))).toMatch(/,2026-04-01T08:30:00\.000Z,.*,unsubscribe$/);
  });

  it('refuses a Mailchimp export of subscribed members', () => {
    const state = path.join(mkdtempSync(path.join(os.tmpdir(), 'hygiene-supp-')), 'history.db');
    const result = runCli(['suppressions', 'import', 'fixtures/exports/mailchimp-members.csv', '--state', state]);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/subscribed members/);
  });

  it('one bad line: exit 2 with file:line and nothing imported; --skip-bad lists it and imports the rest', () => {
    const state = path.join(mkdtempSync(path.join(os.tmpdir(), 'hygiene-supp-')), 'history.db');
    const files = ['fixtures/suppressions/plain-list.txt', 'fixtures/suppressions/plain-with-bad-line.txt'];
    const failed = runCli(['suppressions', 'import', ...files, '--state', state]);
    expect(failed.status).toBe(2);
    expect(failed.stderr).toMatch(/plain-with-bad-line\.txt:3: not an email address: "not an address"/);
    expect(csvLines(runCli(['suppressions', 'export', '--state', state]).stdout)).toHaveLength(1);
    const skipped = runCli(['suppressions', 'import', ...files, '--skip-bad', '--state', state]);
    expect(skipped.status).toBe(0);
    expect(skipped.stderr).toMatch(/1 bad line\(s\) not imported/);
    expect(skipped.stderr).toMatch(/plain-with-bad-line\.txt:3: not an email address/);
    // Header, the three addresses of plain-list.txt and the two good lines of the other file.
    expect(csvLines(runCli(['suppressions', 'export', '--state', state]).stdout)).toHaveLength(6);
  });
});

describe('unsuppress', () => {
  it('refuses a value that is not an address', () => {
    const result = runCli(['unsuppress', 'not an address', '--note', 'x', '--state', demoState()]);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/not an email address/);
  });

  it('says so when the address was not suppressed, and records nothing', () => {
    const state = demoState();
    const result = runCli(['unsuppress', 'nobody@example.com', '--note', 'x', '--state', state, '--now', NOW]);
    expect(result.status).toBe(0);
    expect(result.stderr).toMatch(/nobody@example\.com is not suppressed: nothing to clear/);
    expect(
      runCli(['history', 'nobody@example.com', '--state', state]).stdout +
        runCli(['history', 'nobody@example.com', '--state', state]).stderr,
    ).not.toMatch(/unsuppress/i);
  });

  it('clearing a complaint warns and needs --yes (exit 2 without a terminal)', () => {
    const state = demoState();
    const rows = csvLines(runCli(['suppressions', 'export', '--only', 'learnt', '--state', state, '--now', NOW]).stdout);
    const complained = rows.find((row) => row.includes(',complaint,'))!.split(',')[0]!;
    const refused = runCli(['unsuppress', complained, '--note', 'asked again', '--state', state, '--now', NOW]);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toMatch(/spam complaint/);
    expect(refused.stderr).toMatch(/--yes/);
    const done = runCli(['unsuppress', complained, '--note', 'asked again', '--yes', '--state', state, '--now', NOW]);
    expect(done.status).toBe(0);
    expect(done.stderr).toMatch(/warning/);
    const after = csvLines(runCli(['suppressions', 'export', '--state', state, '--now', NOW]).stdout);
    expect(after.some((row) => row.startsWith(`${complained},`))).toBe(false);
  });
});

describe('smaller CLI behaviour', () => {
  it('hygiene alone prints help and exits 2', () => {
    const result = runCli([]);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/Usage: hygiene/);
  });

  it('an unknown option suggests the close one', () => {
    const result = runCli(['clean', 'fixtures/check/list.csv', '--out', 'x']);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/Did you mean --out-dir( or --out-encoding)?\?/);
  });

  it('history of a value that is not an address is exit 2', () => {
    const result = runCli(['history', 'not an address', '--no-state']);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/not an email address/);
  });

  it('ingest names itself in its summary', () => {
    const state = path.join(mkdtempSync(path.join(os.tmpdir(), 'hygiene-supp-')), 'history.db');
    const result = runCli(['ingest', 'fixtures/demo/bounces', '--state', state]);
    expect(result.stderr).toMatch(/^hygiene ingest: /);
  });
});
