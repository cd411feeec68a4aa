import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

const tmp = () => mkdtempSync(path.join(os.tmpdir(), 'hygiene-features-'));
const read = (dir: string, file: string) => readFileSync(path.join(dir, file), 'utf8');
const report = (dir: string) => JSON.parse(read(dir, 'report.json'));

function list(text: string): string {
  const dir = tmp();
  const file = path.join(dir, 'list.csv');
  writeFileSync(file, text);
  return file;
}

describe('several addresses in one cell', () => {
  const file = () =>
    list(
      'Name,Email\nAnn,ann@x.example ::: ann@y.example\nCarl,"Carl <carl@x.example>, Dora <dora@y.example>"\nEd,ed@x.example;bad@@y;ed@z.example\n',
    );

  it('is multiple-addresses, naming every address, the first as the suggestion', () => {
    const out = tmp();
    expect(runCli(['clean', file(), '--out-dir', out, '--no-state']).status).toBe(0);
    const rows = read(out, 'suppressed.csv').trim().split('\n').slice(1);
    expect(rows[0]).toMatch(
      /^Ann,ann@x\.example ::: ann@y\.example,multiple-addresses,"2 addresses in one cell: ann@x\.example, ann@y\.example;.*",ann@x\.example,row 2/,
    );
    expect(rows[1]).toMatch(/multiple-addresses,"2 addresses in one cell: carl@x\.example, dora@y\.example;.*",carl@x\.example,row 3/);
    expect(report(out).reasons).toEqual({ 'multiple-addresses': 3 });
  });

  it('--fix keeps the first valid one and lists each address not kept in fixes.csv', () => {
    const out = tmp();
    expect(runCli(['clean', file(), '--out-dir', out, '--no-state', '--fix']).status).toBe(0);
    expect(read(out, 'cleaned.csv')).toBe('Name,Email\nAnn,ann@x.example\nCarl,carl@x.example\nEd,ed@x.example\n');
    const fixes = read(out, 'fixes.csv');
    for (const dropped of ['ann@y.example', 'dora@y.example', 'ed@z.example']) {
      expect(fixes).toMatch(new RegExp(`\\n\\d,${dropped.replace('.', '\\.')},,not kept: `));
    }
    expect(fixes).toContain('"Carl <carl@x.example>, Dora <dora@y.example>",carl@x.example,');
  });
});

describe('address columns', () => {
  const outlook = () =>
    list(
      'First Name,E-mail Address,E-mail 2 Address,E-mail 3 Address\n' +
        'Ann,,ann@example.com,\n' +
        'Bob,bob@example.com,bob@gmial.com,bob@mailinator.com\n' +
        'Cy,,,\n',
    );

  it('finds the Outlook columns by name; an empty primary with a valid secondary is no-address with it as the suggestion', () => {
    const out = tmp();
    const result = runCli(['clean', outlook(), '--out-dir', out, '--no-state']);
    expect(result.status).toBe(0);
    const r = report(out);
    expect(r.input.emailColumn.name).toBe('E-mail Address');
    expect(r.input.otherAddressColumns.map((c: { name: string }) => c.name)).toEqual(['E-mail 2 Address', 'E-mail 3 Address']);
    expect(r.reasons).toEqual({ 'no-address': 2 });
    expect(r.otherAddresses.reasons).toEqual({ 'typo-domain': 1, disposable: 1 });
    const suppressed = read(out, 'suppressed.csv');
    expect(suppressed).toMatch(/Ann,,ann@example\.com,,no-address,.*,ann@example\.com,row 2/);
    expect(suppressed).toMatch(/Cy,,,,no-address,"the row has no address/);
    expect(result.stderr).toMatch(
      /other address columns "E-mail 2 Address", "E-mail 3 Address": 3 addresses checked, 1 typo-domain, 1 disposable/,
    );
  });

  it('--fix promotes the secondary and corrects the other columns, recorded with the column', () => {
    const out = tmp();
    expect(runCli(['clean', outlook(), '--out-dir', out, '--no-state', '--fix']).status).toBe(0);
    expect(read(out, 'cleaned.csv')).toContain('Ann,ann@example.com,ann@example.com,\n');
    expect(read(out, 'cleaned.csv')).toContain('Bob,bob@example.com,bob@gmail.com,bob@mailinator.com\n');
    const fixes = read(out, 'fixes.csv');
    expect(fixes).toMatch(/^2,,ann@example\.com,.*promoted.*,E-mail Address$/m);
    expect(fixes).toMatch(/^3,bob@gmial\.com,bob@gmail\.com,.*,E-mail 2 Address$/m);
  });

  it('--email-column may be given several times; the first is the primary', () => {
    const out = tmp();
    const result = runCli([
      'clean',
      outlook(),
      '--out-dir',
      out,
      '--no-state',
      '--email-column',
      'E-mail 2 Address',
      '--email-column',
      '2',
    ]);
    expect(result.status).toBe(0);
    const r = report(out);
    expect(r.input.emailColumn.name).toBe('E-mail 2 Address');
    expect(r.input.otherAddressColumns.map((c: { name: string }) => c.name)).toEqual(['E-mail Address']);
  });

  it('finds Google and German column names', () => {
    for (const [header, name] of [
      ['Name,E-mail 1 - Label,E-mail 1 - Value,E-mail 2 - Value', 'E-mail 1 - Value'],
      ['Vorname;E-Mail-Adresse;E-Mail 2: Adresse', 'E-Mail-Adresse'],
    ] as const) {
      const out = tmp();
      const delimiter = header.includes(';') ? ';' : ',';
      const row = header.includes(';') ? 'Jürgen;j@example.de;' : 'Ann,* Home,ann@example.com,ann@example.org';
      expect(runCli(['clean', list(`${header}\n${row}\n`), '--out-dir', out, '--no-state']).status).toBe(0);
      const r = report(out);
      expect(r.input.emailColumn.name, header).toBe(name);
      expect(r.input.delimiter).toBe(delimiter);
      expect(r.input.otherAddressColumns).toHaveLength(1);
    }
  });

  it('a row with no address is its own check rule, without a limit by default', () => {
    const file = list('Name,Email\nAnn,ann@example.com\nBob,\n');
    const pass = runCli(['check', file, '--no-state']);
    expect(pass.status).toBe(0);
    expect(pass.stderr).toMatch(/no-address\s+1\s+no limit\s+pass/);
    expect(pass.stderr).toMatch(/invalid\s+0/);
    const fail = runCli(['check', file, '--no-state', '--max-no-address', '0']);
    expect(fail.status).toBe(1);
    expect(fail.stderr).toMatch(/no-address\s+1\s+max 0\s+FAIL/);
  });

  it('a chosen column without any "@" is exit 2 naming the columns that have one', () => {
    const file = list('Name,Email,Phone\nAnn,ann@example.com,555\nBob,bob@example.com,556\n');
    const result = runCli(['clean', file, '--email-column', 'Name', '--out-dir', tmp(), '--no-state']);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/--email-column "Name": no sampled value .* contains "@"; the columns with "@" are 2="Email"/);
  });
});

describe('--fix keeps the mailbox', () => {
  it('applies blanks, mailto:, display names, domain case and dot, typo domains; local-part repairs stay suggestions', () => {
    const out = tmp();
    const file = list(
      'Email\n mailto:ann@example.com \nBo Berg <bo@Example.COM.>\ncy@gmial.com\n.lead@example.com\ntrail.@example.com\nuser..dots@example.com\n',
    );
    expect(runCli(['clean', file, '--out-dir', out, '--no-state', '--fix']).status).toBe(0);
    expect(read(out, 'cleaned.csv')).toBe('Email\nann@example.com\nbo@example.com\ncy@gmail.com\n');
    const suppressed = read(out, 'suppressed.csv');
    expect(suppressed).toContain('.lead@example.com,invalid-syntax,');
    expect(suppressed).toContain(',lead@example.com,row 5');
    expect(suppressed).toContain(',trail@example.com,row 6');
    expect(suppressed).toContain(',user.dots@example.com,row 7');
    expect(read(out, 'fixes.csv').trim().split('\n')).toHaveLength(4);
  });
});

describe('report footers', () => {
  const salesforce = 'fixtures/exports/salesforce-report.csv';

  it('are reported, not routed: rows in = rows routed + footer lines', () => {
    const out = tmp();
    const result = runCli(['clean', salesforce, '--out-dir', out, '--no-state']);
    expect(result.status).toBe(0);
    const r = report(out);
    expect(r.input.rows).toBe(4);
    expect(r.input.footerLines).toBe(5);
    expect(r.input.footer[1]).toMatch(/^Copyright/);
    expect(r.counts.cleaned + r.counts.suppressed + r.counts.retryLater).toBe(4);
    expect(result.stderr).toMatch(/5 footer line\(s\) after the data were not routed/);
  });

  it('--no-footer-detection reads them as rows (ragged rows: exit 2)', () => {
    const result = runCli(['clean', salesforce, '--out-dir', tmp(), '--no-state', '--no-footer-detection']);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/5 row\(s\) do not have 9 fields/);
  });
});

describe('standard input', () => {
  it('clean - reads the list from stdin, sniffing its head', () => {
    const out = tmp();
    const input = readFileSync('fixtures/exports/german-excel.csv', 'latin1');
    const result = runCli(['clean', '-', '--out-dir', out, '--no-state'], { input: Buffer.from(input, 'latin1') as unknown as string });
    expect(result.status).toBe(0);
    const r = report(out);
    expect(r.input).toMatchObject({ file: '<stdin>', encoding: 'windows-1252', delimiter: ';', rows: 5 });
    // The same lists as from the file itself, byte for byte.
    const fromFile = tmp();
    expect(runCli(['clean', 'fixtures/exports/german-excel.csv', '--out-dir', fromFile, '--no-state']).status).toBe(0);
    for (const name of ['cleaned.csv', 'suppressed.csv']) {
      expect(readFileSync(path.join(out, name)).equals(readFileSync(path.join(fromFile, name))), name).toBe(true);
    }
  });

  it('check - reads stdin too, and a list longer than the sniffed head is read whole', () => {
    const rows = Array.from({ length: 5000 }, (_, i) => `Person ${i},person.${i}@example.com`).join('\n');
    const result = runCli(['check', '-', '--no-state', '--format', 'json'], { input: `Name,Email\n${rows}\nLast,last@gmial.com\n` });
    expect(result.status).toBe(1);
    const gate = JSON.parse(result.stdout);
    expect(gate.rows).toBe(5001);
    expect(gate.rules.find((r: { rule: string }) => r.rule === 'typo').rows[0]).toMatchObject({ line: 5002, suggestion: 'last@gmail.com' });
  });

  it('cannot feed both the list and the bounces, or the DNS pre-pass, from stdin', () => {
    const both = runCli(['clean', '-', '--bounces', '-', '--out-dir', tmp(), '--no-state'], { input: 'Email\nann@example.com\n' });
    expect(both.status).toBe(2);
    expect(both.stderr).toMatch(/cannot both be read from standard input/);
    const dns = runCli(['clean', '-', '--check-domains', '--out-dir', tmp(), '--no-state'], { input: 'Email\nann@example.com\n' });
    expect(dns.status).toBe(2);
    expect(dns.stderr).toMatch(/cannot come from standard input/);
  });

  it('an empty stdin is exit 2', () => {
    const result = runCli(['clean', '-', '--out-dir', tmp(), '--no-state']);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/<stdin>: nothing on standard input/);
  });
});

describe('summary', () => {
  it('lists typo domains by count, then "... and N more (report.json)"', () => {
    const domains = [
      'gmial.com',
      'gmial.com',
      'gmial.com',
      'hotmial.com',
      'hotmial.com',
      'yaho.com',
      'gmai.com',
      'outlok.com',
      'iclod.com',
      'gmail.con',
    ];
    const file = list(`Email\n${domains.map((d, i) => `p${i}@${d}`).join('\n')}\n`);
    const out = tmp();
    const result = runCli(['clean', file, '--out-dir', out, '--no-state']);
    expect(result.stderr).toMatch(
      /typo domains: gmial\.com -> gmail\.com \(3\), hotmial\.com -> hotmail\.com \(2\), .* \.\.\. and 2 more \(report\.json\)/,
    );
    expect(report(out).typoDomains).toHaveLength(7);
  });

  it('counts no disposable flag for a typo domain, and none for sify.com', () => {
    const out = tmp();
    runCli(['clean', list('Email\nann@gmial.com\nbob@sify.com\n'), '--out-dir', out, '--no-state']);
    const r = report(out);
    expect(r.flags.disposable).toBe(0);
    expect(r.counts.cleaned).toBe(1);
    expect(r.reasons).toEqual({ 'typo-domain': 1 });
  });
});

describe("the list's own opt-out columns", () => {
  const hubspot = () =>
    list(
      'Record ID,Email,Unsubscribed from all email\n' +
        '101,ann@acme.example,false\n' +
        '102,bob@beta.example,true\n' +
        '103,cy@gmial.com,true\n' +
        '104,BOB@beta.example,false\n',
    );

  it('suppresses a contact the list marks opted out, before any fix, and a later row of the same mailbox with it', () => {
    const out = tmp();
    expect(runCli(['clean', hubspot(), '--out-dir', out, '--no-state', '--fix']).status).toBe(0);
    expect(read(out, 'cleaned.csv')).toBe('Record ID,Email,Unsubscribed from all email\n101,ann@acme.example,false\n');
    const rows = read(out, 'suppressed.csv').trim().split('\n').slice(1);
    expect(rows).toEqual([
      '102,bob@beta.example,true,opted-out,"the list marks this contact opted out (""Unsubscribed from all email"": true)",,row 3',
      // Corrected (--fix records it) but not cleaned: an opt-out outranks a fixable typo.
      '103,cy@gmail.com,true,opted-out,"the list marks this contact opted out (""Unsubscribed from all email"": true)",,row 4',
      '104,BOB@beta.example,false,duplicate,same mailbox as row 3,,row 5',
    ]);
    const r = report(out);
    expect(r.reasons).toEqual({ 'opted-out': 2, duplicate: 1 });
    expect(r.input.optOutColumns).toEqual([{ name: 'Unsubscribed from all email', number: 3, kind: 'flag' }]);
  });

  // A Salesforce report of leads and contacts: "Email Opt Out" is per record, so one person can
  // be opted out on a later row only.
  const leadsAndContacts =
    'Record Type,Email,Email Opt Out\n' +
    'Lead,dana@acme.example,0\n' +
    'Lead,eve@beta.example,0\n' +
    'Lead,Dana@Acme.example,0\n' +
    'Contact,dana@acme.example,1\n' +
    'Contact,dana@acme.example,0\n';

  it('suppresses the earlier rows of a mailbox that a later row opts out, from a file and from stdin alike', () => {
    const out = tmp();
    expect(runCli(['clean', list(leadsAndContacts), '--out-dir', out, '--no-state']).status).toBe(0);
    expect(read(out, 'cleaned.csv')).toBe('Record Type,Email,Email Opt Out\nLead,eve@beta.example,0\n');
    expect(read(out, 'suppressed.csv').trim().split('\n').slice(1)).toEqual([
      'Lead,dana@acme.example,0,opted-out,row 5 of the same mailbox is marked opted out in the list,,row 2',
      'Lead,Dana@Acme.example,0,opted-out,row 5 of the same mailbox is marked opted out in the list,,row 4',
      'Contact,dana@acme.example,1,opted-out,"the list marks this contact opted out (""Email Opt Out"": 1)",,row 5',
      'Contact,dana@acme.example,0,duplicate,same mailbox as row 5,,row 6',
    ]);
    expect(report(out).reasons).toEqual({ 'opted-out': 3, duplicate: 1 });
    // stdin can be read once: the run copies it to a temporary file, removed afterwards.
    const fromStdin = tmp();
    const before = new Set(readdirSync(os.tmpdir()).filter((name) => name.startsWith('hygiene-stdin-')));
    expect(runCli(['clean', '-', '--out-dir', fromStdin, '--no-state'], { input: leadsAndContacts }).status).toBe(0);
    for (const name of ['cleaned.csv', 'suppressed.csv']) expect(read(fromStdin, name), name).toBe(read(out, name));
    expect(readdirSync(os.tmpdir()).filter((name) => name.startsWith('hygiene-stdin-') && !before.has(name))).toEqual([]);
  });

  it('stops with exit 2 and no outputs when stdin cannot be copied for the second reading', () => {
    const out = path.join(tmp(), 'out');
    const result = runCli(['clean', '-', '--out-dir', out, '--no-state'], {
      input: leadsAndContacts,
      env: { TMPDIR: path.join(tmp(), 'missing') },
    });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('<stdin>: could not copy the list to a temporary file');
    expect(result.stderr).toContain('hint: Set TMPDIR');
    expect(existsSync(out)).toBe(false);
  });

  it('counts each row once at the check gate when a later opt-out makes it route the rows again', () => {
    // Long enough that rows are routed and counted before the opt-out on the last row is met.
    const filler = Array.from({ length: 4000 }, (_, i) => `Lead,person${i}@filler.example,0\n`).join('');
    const head = 'Record Type,Email,Email Opt Out\nLead,dana@acme.example,0\nLead,eve@beta.example,0\nLead,Dana@Acme.example,0\n';
    const gate = runCli(['check', list(`${head}${filler}Contact,dana@acme.example,1\n`), '--no-state', '--format', 'json']);
    expect(gate.status).toBe(1);
    const result = JSON.parse(gate.stdout);
    expect(result.rows).toBe(4004);
    const count = (name: string) => result.rules.find((rule: { rule: string }) => rule.rule === name).count;
    expect(count('suppressed')).toBe(3);
    expect(count('duplicates')).toBe(0);
  });

  it('with --no-opt-out-columns a later opt-out takes nothing back', () => {
    const out = tmp();
    expect(runCli(['clean', list(leadsAndContacts), '--out-dir', out, '--no-state', '--no-opt-out-columns']).status).toBe(0);
    expect(report(out).reasons).toEqual({ duplicate: 3 });
    expect(read(out, 'cleaned.csv')).toContain('Lead,dana@acme.example,0\n');
  });

  it('fails the check gate as a suppression, and --no-opt-out-columns keeps them (a receipt list)', () => {
    const file = hubspot();
    const gate = runCli(['check', file, '--no-state', '--format', 'json']);
    expect(gate.status).toBe(1);
    const suppressed = JSON.parse(gate.stdout).rules.find((rule: { rule: string }) => rule.rule === 'suppressed');
    expect(suppressed.count).toBe(2);
    const out = tmp();
    const kept = runCli(['clean', file, '--out-dir', out, '--no-state', '--no-opt-out-columns']);
    expect(kept.status).toBe(0);
    expect(kept.stderr).toContain('not applied (--no-opt-out-columns)');
    expect(report(out).reasons).toEqual({ 'typo-domain': 1, duplicate: 1 });
  });
});

describe('bounces the list itself records', () => {
  // A Salesforce report: its bounce handling keeps the reply and the date on the record.
  const salesforce =
    'Email,First Name,Email Bounced Reason,Email Bounced Date\n' +
    'ann@example.com,Ann,,\n' +
    'bob@example.com,Bob,550 5.1.1 <bob@example.com>: Recipient address rejected: User unknown,2026-10-02\n' +
    'cy@example.com,Cy,452 4.2.2 Mailbox full,2026-10-03\n' +
    'di@example.com,Di,,\n' +
    'di@example.com,Di 2,550 5.1.1 user unknown,2026-10-04\n';

  it('suppresses an address whose recorded reply is a hard bounce, and the earlier rows of its mailbox; a full mailbox is kept', () => {
    const out = tmp();
    const result = runCli(['clean', list(salesforce), '--out-dir', out, '--no-state']);
    expect(result.status).toBe(0);
    expect(read(out, 'cleaned.csv')).toBe(
      'Email,First Name,Email Bounced Reason,Email Bounced Date\nann@example.com,Ann,,\ncy@example.com,Cy,452 4.2.2 Mailbox full,2026-10-03\n',
    );
    const suppressed = read(out, 'suppressed.csv').trim().split('\n').slice(1);
    expect(suppressed.map((row) => row.split(',')[0])).toEqual(['bob@example.com', 'di@example.com', 'di@example.com']);
    expect(suppressed[1]).toContain(
      'hard-bounce,"row 6 of the same mailbox is recorded as bounced in the list (""Email Bounced Reason"")",,row 5',
    );
    const r = report(out);
    expect(r.reasons).toEqual({ 'hard-bounce': 3 });
    expect(r.input).toMatchObject({
      listedBounces: 3,
      bounceColumns: [
        { name: 'Email Bounced Reason', number: 3, kind: 'reason' },
        { name: 'Email Bounced Date', number: 4, kind: 'flag' },
      ],
    });
    expect(result.stderr).toContain(
      'bounce columns "Email Bounced Reason", "Email Bounced Date": 3 contacts the list records as hard-bounced',
    );
  });

  it('with --no-bounce-columns keeps the contacts the list records as bounced (to try them again), and says so', () => {
    const out = tmp();
    const result = runCli(['clean', list(salesforce), '--out-dir', out, '--no-state', '--no-bounce-columns']);
    expect(result.status).toBe(0);
    // Every address but the second row of the same mailbox (a duplicate).
    expect(read(out, 'cleaned.csv').trim().split('\n')).toHaveLength(5);
    expect(report(out).reasons).toEqual({ duplicate: 1 });
    expect(report(out).input).toMatchObject({ listedBounces: 0, bounceColumnsApplied: false });
    expect(result.stderr).toContain('bounce columns "Email Bounced Reason", "Email Bounced Date": not applied (--no-bounce-columns)');
  });

  it('reads a reason kept as an enum name (HubSpot) as its words', () => {
    const out = tmp();
    const file = list('Email,Email hard bounce reason\nann@example.com,UNKNOWN_USER\nbob@example.com,MAILBOX_FULL\ncy@example.com,\n');
    expect(runCli(['clean', file, '--out-dir', out, '--no-state']).status).toBe(0);
    expect(read(out, 'cleaned.csv')).toBe('Email,Email hard bounce reason\nbob@example.com,MAILBOX_FULL\ncy@example.com,\n');
  });

  it("reads Mailchimp's cleaned status as a hard bounce, and a bounce of an address --fix corrects is not the new address's", () => {
    const out = tmp();
    const file = list('Email Address,Status\nann@example.com,subscribed\nbob@example.com,cleaned\n');
    expect(runCli(['clean', file, '--out-dir', out, '--no-state']).status).toBe(0);
    expect(report(out).reasons).toEqual({ 'hard-bounce': 1 });
    const fixed = tmp();
    const typo = list('Email,Email Bounced\nann@gmial.com,true\nbob@example.com,true\n');
    expect(runCli(['clean', typo, '--out-dir', fixed, '--no-state', '--fix']).status).toBe(0);
    expect(read(fixed, 'cleaned.csv')).toBe('Email,Email Bounced\nann@gmail.com,true\n');
    expect(report(fixed).reasons).toEqual({ 'hard-bounce': 1 });
  });
});

describe('a blank after each delimiter', () => {
  it('is read as the separator it is, not as blanks in every address, and written back as RFC 4180', () => {
    const out = tmp();
    const file = list('Name, Email, Note\nAnn, "ann@example.com", hi\nBob, bob@example.com, "a, b"\nCy, cy@gmial.com, x\n');
    const result = runCli(['clean', file, '--out-dir', out, '--no-state']);
    expect(result.status).toBe(0);
    expect(result.stderr).toContain('delimiter "," and a blank');
    expect(read(out, 'cleaned.csv')).toBe('Name,Email,Note\nAnn,ann@example.com,hi\nBob,bob@example.com,"a, b"\n');
    expect(read(out, 'suppressed.csv').split('\n')[1]).toMatch(/^Cy,cy@gmial\.com,x,typo-domain,/);
    expect(report(out).input).toMatchObject({ rows: 3, blanksAfterDelimiter: true, raggedRows: 0 });
  });
});

describe("Excel's sep= line", () => {
  it('gives the delimiter, is not a row, and heads every list again so they open in Excel as the input did', () => {
    const file = list('sep=;\r\nName;Email\r\nAnn;ann@example.com\r\nBob;bob@gmial.com\r\n');
    const out = tmp();
    const result = runCli(['clean', file, '--out-dir', out, '--no-state']);
    expect(result.status).toBe(0);
    expect(read(out, 'cleaned.csv')).toBe('sep=;\r\nName;Email\r\nAnn;ann@example.com\r\n');
    expect(read(out, 'suppressed.csv').split('\r\n').slice(0, 2)).toEqual([
      'sep=;',
      'Name;Email;hygiene_reason;hygiene_detail;hygiene_suggestion;hygiene_source',
    ]);
    const r = report(out);
    expect(r.input).toMatchObject({ rows: 2, delimiter: ';', separatorLine: 'sep=;', preambleLines: 1 });
    expect(r.input.emailColumn.name).toBe('Email');
    expect(r.reasons).toEqual({ 'typo-domain': 1 });
  });
});

describe('blank lines above the header', () => {
  it('are neither the header nor rows: the header is the first line with something in it', () => {
    const file = list(',,\r\n\r\nName,Email,Note\r\nAnn,ann@example.com,x\r\n');
    const out = tmp();
    expect(runCli(['clean', file, '--out-dir', out, '--no-state']).status).toBe(0);
    expect(read(out, 'cleaned.csv')).toBe('Name,Email,Note\r\nAnn,ann@example.com,x\r\n');
    expect(report(out).input).toMatchObject({ rows: 1, preambleLines: 2, header: true, emailColumn: { name: 'Email' } });
  });
});
