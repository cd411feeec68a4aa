/**
 * The bad-input matrix, walked through the built CLI as a user meets it: every hostile or broken
 * input ends either in exit 2 naming the file (and the line, when there is one) with a hint and
 * no output files, or in a documented recovery where every row is still accounted for.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, copyFileSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CleanReport } from '../../src/pipeline/clean.js';
import type { CliResult } from '../cli/run-cli.js';
import { REPO, runCliAsync } from './cli-process.js';

const BAD = path.join(REPO, 'fixtures/bad');
const OUTPUTS = ['cleaned.csv', 'suppressed.csv', 'retry-later.csv', 'report.json'];
const MB = 1024 * 1024;

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'hygiene-matrix-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

function outDirFor(name: string): string {
  return path.join(dir, `out-${name.replace(/[^a-z0-9]+/gi, '-')}`);
}

/** A list as text in the encoding report.json says it was written in (BOM dropped). */
function readCsv(file: string, encoding = 'utf-8'): string[][] {
  const bytes = readFileSync(file);
  const text =
    encoding === 'utf-16le' ? bytes.toString('utf16le') : encoding === 'windows-1252' ? bytes.toString('latin1') : bytes.toString('utf8');
  return parse(text.replace(/^\uFEFF/, ''), { relax_column_count: true }) as string[][];
}

/** Exit 2, `hygiene: error: FILE[:LINE]: ...`, a hint, a short message, and nothing written. */
function expectRefused(result: CliResult, location: string, outDir: string | null): void {
  expect(result.status, result.stderr.slice(0, 2000)).toBe(2);
  expect(result.stderr.startsWith(`hygiene: error: ${location}: `), result.stderr.slice(0, 300)).toBe(true);
  expect(result.stderr).toMatch(/\nhint: \S/);
  expect(result.stderr).not.toMatch(/internal error|unexpected error|\n\s+at /);
  // A clear message, not a dump of the offending bytes.
  expect(result.stderr.length).toBeLessThan(2000);
  if (outDir !== null) {
    const left = existsSync(outDir) ? readdirSync(outDir) : [];
    expect(left, 'no output, final or temporary').toEqual([]);
  }
}

/** Exit 0, all outputs complete, no temporary file left, rows in = rows out. */
function expectCompleteRun(result: CliResult, outDir: string): { report: CleanReport; lists: Record<string, string[][]> } {
  expect(result.status, result.stderr.slice(0, 2000)).toBe(0);
  expect(readdirSync(outDir).sort()).toEqual([...OUTPUTS].sort());
  const report = JSON.parse(readFileSync(path.join(outDir, 'report.json'), 'utf8')) as CleanReport;
  const lists: Record<string, string[][]> = {};
  for (const name of ['cleaned', 'suppressed', 'retry-later'])
    lists[name] = readCsv(path.join(outDir, `${name}.csv`), report.output.encoding);
  const header = report.input.header ? 1 : 0;
  const written = lists.cleaned!.length - header + lists.suppressed!.length - 1 + lists['retry-later']!.length - 1;
  expect(written).toBe(report.input.rows);
  expect(report.counts.cleaned + report.counts.suppressed + report.counts.retryLater).toBe(report.input.rows);
  return { report, lists };
}

// Every case has its own files and output folder, so the runs overlap.
describe.concurrent('bad contact lists (hygiene clean)', () => {
  const refused: { name: string; file: () => string; location: (file: string) => string; message: RegExp }[] = [
    { name: 'empty file', file: () => path.join(BAD, 'empty.csv'), location: (f) => f, message: /the file is empty/ },
    { name: 'binary data', file: () => path.join(BAD, 'binary.csv'), location: (f) => `${f}:3`, message: /binary data/ },
    { name: 'NUL bytes in a text file', file: () => path.join(BAD, 'nul-bytes.csv'), location: (f) => `${f}:3`, message: /NUL/ },
    { name: 'mixed encodings', file: () => path.join(BAD, 'mixed-encodings.csv'), location: (f) => `${f}:8`, message: /mixes encodings/ },
    { name: 'ragged rows', file: () => path.join(BAD, 'ragged.csv'), location: (f) => `${f}:3`, message: /--relax-columns/ },
    {
      name: 'unterminated quote',
      file: () => path.join(BAD, 'unterminated-quote.csv'),
      location: (f) => `${f}:3`,
      message: /never closed/,
    },
    { name: 'no email column', file: () => path.join(BAD, 'no-email-column.csv'), location: (f) => `${f}:1`, message: /no email column/ },
    { name: 'a JSON export', file: () => path.join(BAD, 'contacts.json'), location: (f) => `${f}:1`, message: /this is JSON/ },
    { name: 'a vCard address book', file: () => path.join(BAD, 'contacts.vcf'), location: (f) => `${f}:1`, message: /vCard/ },
    { name: 'a web page saved as the export', file: () => path.join(BAD, 'saved-page.html'), location: (f) => `${f}:1`, message: /HTML/ },
    {
      name: 'a 50 MB line after good rows',
      file: () => {
        const file = path.join(dir, 'long-line.csv');
        writeFileSync(file, `name,email\nAnn,ann@example.com\n${'x'.repeat(50 * MB)}\nBob,bob@example.com\n`);
        return file;
      },
      location: (f) => `${f}:3`,
      message: /longer than 4 MB/,
    },
    {
      name: 'a 50 MB file that is one line (no header, no line break)',
      file: () => {
        const file = path.join(dir, 'one-line.csv');
        writeFileSync(file, 'q'.repeat(50 * MB));
        return file;
      },
      location: (f) => `${f}:1`,
      message: /no email column/,
    },
  ];
  for (const testCase of refused) {
    it(`${testCase.name}: exit 2 with file and line, nothing written`, async () => {
      const file = testCase.file();
      const outDir = outDirFor(testCase.name);
      const result = await runCliAsync(['clean', file, '--out-dir', outDir, '--no-state']);
      expectRefused(result, testCase.location(file), outDir);
      expect(result.stderr).toMatch(testCase.message);
    });
  }

  it('header only: recovery, three lists with their headers and no rows', async () => {
    const outDir = outDirFor('header-only');
    const { report, lists } = expectCompleteRun(
      await runCliAsync(['clean', path.join(BAD, 'header-only.csv'), '--out-dir', outDir, '--no-state']),
      outDir,
    );
    expect(report.input.rows).toBe(0);
    expect(lists.cleaned).toEqual([['name', 'email', 'company']]);
    expect(lists.suppressed![0]).toEqual([
      'name',
      'email',
      'company',
      'hygiene_reason',
      'hygiene_detail',
      'hygiene_suggestion',
      'hygiene_source',
    ]);
  });

  it('UTF-16 without BOM: recovery, detected and decoded', async () => {
    const outDir = outDirFor('utf16');
    const { report, lists } = expectCompleteRun(
      await runCliAsync(['clean', path.join(BAD, 'utf16-nobom.csv'), '--out-dir', outDir, '--no-state']),
      outDir,
    );
    expect(report.input.encoding).toBe('utf-16le');
    expect(lists.cleaned!.map((row) => row[1])).toEqual(['email', 'ann.lee@example.com', 'bo.chen@example.org', 'zoe.faure@example.net']);
    expect(lists.cleaned![3]![0]).toBe('Zoë Faure');
  });

  it('duplicate header names: recovery, the first "email" column is the address, the header is kept as is', async () => {
    const outDir = outDirFor('duplicate-headers');
    const result = await runCliAsync(['clean', path.join(BAD, 'duplicate-headers.csv'), '--out-dir', outDir, '--no-state']);
    const { report, lists } = expectCompleteRun(result, outDir);
    expect(report.input.emailColumn).toMatchObject({ name: 'email', number: 1 });
    expect(lists.cleaned![0]).toEqual(['email', 'name', 'email']);
    expect(lists.cleaned![2]).toEqual(['bob@example.com', 'Bob', '']);
  });

  it('ragged rows with --relax-columns: recovery, short rows padded and long rows keep their extra fields', async () => {
    const outDir = outDirFor('ragged-relaxed');
    const { report, lists } = expectCompleteRun(
      await runCliAsync(['clean', path.join(BAD, 'ragged.csv'), '--relax-columns', '--out-dir', outDir, '--no-state']),
      outDir,
    );
    expect(report.input.raggedRows).toBe(2);
    expect(lists.cleaned!.map((row) => row[1])).toContain('cy@example.org');
    expect(lists.cleaned!.find((row) => row[1] === 'cy@example.org')).toEqual(['Cy', 'cy@example.org', 'Globex', 'extra']);
  });
});

describe.concurrent('bad bounce inputs (hygiene clean --bounces, hygiene classify)', () => {
  const CONTACTS = 'email,name\nlost.box@example.org,Lost\ngone.user@example.net,Gone\nkeep.me@example.com,Keep\n';
  const NOW = '2026-11-24T00:00:00Z';
  let contacts: string;
  beforeAll(() => {
    contacts = path.join(dir, 'contacts.csv');
    writeFileSync(contacts, CONTACTS);
  });

  const clean = async (name: string, bounces: string[], extra: string[] = []) => {
    const outDir = outDirFor(`bounces-${name}`);
    const state = path.join(dir, `${name}.db`);
    const result = await runCliAsync([
      'clean',
      contacts,
      '--bounces',
      ...bounces,
      '--state',
      state,
      '--now',
      NOW,
      '--out-dir',
      outDir,
      ...extra,
    ]);
    return { result, outDir, state };
  };

  it('unknown format: exit 2 naming the file and --input-format; no outputs, no history recorded', async () => {
    const file = path.join(BAD, 'unknown-format.txt');
    const { result, outDir, state } = await clean('unknown', [file]);
    expectRefused(result, file, outDir);
    expect(result.stderr).toMatch(/unknown bounce format; tried \d+ formats/);
    expect(result.stderr).toMatch(/--input-format/);
    const history = await runCliAsync(['history', 'lost.box@example.org', '--state', state]);
    expect(history.stdout + history.stderr).not.toMatch(/hard bounce/);
  });

  it('empty .eml named on the command line: exit 2; inside a folder: listed and skipped, the rest is read', async () => {
    const file = path.join(BAD, 'empty.eml');
    expectRefused(await runCliAsync(['classify', file]), file, null);
    const folder = path.join(dir, 'bounce-folder');
    mkdirSync(folder);
    copyFileSync(file, path.join(folder, 'empty.eml'));
    copyFileSync(path.join(BAD, 'broken-mime.mbox'), path.join(folder, 'mailbox.mbox'));
    const { result, outDir } = await clean('folder', [folder]);
    const { report, lists } = expectCompleteRun(result, outDir);
    expect(
      lists
        .suppressed!.slice(1)
        .map((row) => row[0])
        .sort(),
    ).toEqual(['gone.user@example.net', 'lost.box@example.org']);
    expect(report.bounces.warnings.join('\n')).toContain(path.join(folder, 'empty.eml'));
    const listed = await runCliAsync(['classify', folder, '--format', 'jsonl']);
    expect(listed.status).toBe(0);
    expect(listed.stderr).toContain(`    ${path.join(folder, 'empty.eml')}: the file is empty\n`);
  });

  it('mbox with broken MIME: recovery, the readable bounces count and the unreadable message is listed with its line', async () => {
    const file = path.join(BAD, 'broken-mime.mbox');
    const { result, outDir } = await clean('mbox', [file]);
    const { report, lists } = expectCompleteRun(result, outDir);
    // The first unreadable part: message 34's recipient is MIME junk ("==="), not an address.
    expect(report.bounces.warnings.join('\n')).toContain(`${file}:34#1`);
    const suppressed = new Map(lists.suppressed!.slice(1).map((row) => [row[0], row[2]]));
    expect(suppressed.get('lost.box@example.org')).toBe('hard-bounce');
    expect(suppressed.get('gone.user@example.net')).toBe('hard-bounce');
    expect(lists.cleaned!.map((row) => row[0])).toEqual(['email', 'keep.me@example.com']);
    // --strict makes the unreadable message fatal, naming its line.
    expectRefused(await runCliAsync(['classify', file, '--strict']), `${file}:34#1`, null);
    expect((await runCliAsync(['classify', file])).stderr).toContain(`${file}:70: empty message`);
  });

  it('malformed JSON line: recovery, the other events count and the line is named; --strict: exit 2 at that line', async () => {
    const file = path.join(dir, 'events.jsonl');
    writeFileSync(
      file,
      [
        '{"email":"lost.box@example.org","event":"bounce","type":"bounce","status":"5.1.1","reason":"550 5.1.1 unknown user","timestamp":1795000000,"sg_message_id":"m1"}',
        '{"email":"gone.user@example.net","event":"bou',
        '{"email":"keep.me@example.com","event":"delivered","timestamp":1795000001,"sg_message_id":"m2"}',
      ].join('\n') + '\n',
    );
    const { result, outDir } = await clean('jsonl', [file]);
    const { report, lists } = expectCompleteRun(result, outDir);
    expect(report.bounces.events).toBe(2);
    expect(report.bounces.warnings.join('\n')).toContain(`${file}:2`);
    expect(lists.suppressed!.map((row) => row[0])).toEqual(['email', 'lost.box@example.org']);
    expectRefused((await clean('jsonl-strict', [file], ['--strict'])).result, `${file}:2`, outDirFor('bounces-jsonl-strict'));
  });

  it('truncated .gz: recovery, the records before the cut count and the cut is reported; --strict: exit 2', async () => {
    const lines = Array.from(
      { length: 3000 },
      (_, i) =>
        `2026-11-20T10:00:${String(i % 60).padStart(2, '0')}+00:00 mx1 postfix/smtp[7]: ${(0xb00000 + i).toString(16).toUpperCase()}: to=<${i === 0 ? 'lost.box' : `user${i}`}@example.org>, relay=mx.example.org[192.0.2.1]:25, delay=1, delays=1/0/0/0, dsn=5.1.1, status=bounced (host mx.example.org[192.0.2.1] said: 550 5.1.1 No such user (in reply to RCPT TO command))`,
    );
    const whole = gzipSync(Buffer.from(`${lines.join('\n')}\n`));
    const file = path.join(dir, 'mail.log.2.gz');
    writeFileSync(file, whole.subarray(0, Math.floor(whole.length / 2)));
    const { result, outDir } = await clean('gz', [file]);
    const { report, lists } = expectCompleteRun(result, outDir);
    expect(report.bounces.events).toBeGreaterThan(100);
    expect(report.bounces.events).toBeLessThan(3000);
    expect(report.bounces.warnings.join('\n')).toMatch(/could not be read/);
    expect(lists.suppressed!.map((row) => row[0])).toContain('lost.box@example.org');
    const strict = await runCliAsync(['classify', file, '--strict']);
    expect(strict.status).toBe(2);
    expect(strict.stderr).toMatch(
      new RegExp(`^hygiene: error: ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+: compressed data is truncated`),
    );
  });

  it('a 20 MB bounce message: recovery, read within the size limit and its recipient found', async () => {
    const file = path.join(dir, 'huge-bounce.eml');
    const attachmentLine = `${'QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWZnaGlqa2xtbm9wcXJzdHV2d3h5ejAx'}\n`;
    const message = [
      'From: Mail Delivery System <MAILER-DAEMON@mx1.example.net>',
      'To: news@example.com',
      'Subject: Undelivered Mail Returned to Sender',
      'Date: Fri, 20 Nov 2026 10:00:00 +0000',
      'MIME-Version: 1.0',
      'Content-Type: multipart/report; report-type=delivery-status; boundary="B1"',
      '',
      '--B1',
      'Content-Type: message/delivery-status',
      '',
      'Reporting-MTA: dns; mx1.example.net',
      '',
      'Final-Recipient: rfc822; gone.user@example.net',
      'Action: failed',
      'Status: 5.1.1',
      'Diagnostic-Code: smtp; 550 5.1.1 user unknown',
      '',
      '--B1',
      'Content-Type: message/rfc822',
      '',
      'From: news@example.com',
      'To: gone.user@example.net',
      'Subject: our catalogue',
      'Content-Type: application/pdf',
      'Content-Transfer-Encoding: base64',
      '',
      attachmentLine.repeat(Math.ceil((20 * MB) / attachmentLine.length)),
      '--B1--',
      '',
    ].join('\n');
    writeFileSync(file, message);
    const started = Date.now();
    const { result, outDir } = await clean('huge-eml', [file]);
    const { lists } = expectCompleteRun(result, outDir);
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(lists.suppressed!.map((row) => [row[0], row[2]])).toEqual([
      ['email', 'hygiene_reason'],
      ['gone.user@example.net', 'hard-bounce'],
    ]);
  });
});
