import { mkdtempSync, readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectMatchesFile, runCli } from './run-cli.js';

/**
 * Contact exports as the common apps write them, run end to end through the built CLI with
 * --fix. Every output is compared byte for byte with fixtures/expected/exports/<export>/
 * (HYGIENE_UPDATE_EXPECTED=1 rewrites them after a reviewed change).
 */
const EXPORTS = [
  'google-contacts.csv',
  'outlook.csv',
  'mailchimp-members.csv',
  'hubspot.csv',
  'salesforce-report.csv',
  'german-excel.csv',
  'excel-utf8-bom.csv',
  'linkedin-connections.csv',
  'shopify-customers.csv',
];

/** Data rows of a CSV as a strict RFC 4180 reader counts them (Python's csv module). */
function csvRows(file: string, encoding: string, delimiter: string): number {
  const script = `import csv,sys\nf=open(sys.argv[1],newline='',encoding=sys.argv[2])\nprint(sum(1 for _ in csv.reader(f,delimiter=sys.argv[3],strict=True))-1)`;
  const result = spawnSync('python3', ['-c', script, file, encoding, delimiter], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`python csv: ${result.stderr}`);
  return Number(result.stdout.trim());
}

describe('contact exports of common apps, end to end with --fix', () => {
  for (const name of EXPORTS) {
    it(name, () => {
      const out = mkdtempSync(path.join(os.tmpdir(), 'hygiene-exports-'));
      const result = runCli(['clean', `fixtures/exports/${name}`, '--fix', '--no-state', '--out-dir', out]);
      expect(result.stderr).not.toMatch(/error/);
      expect(result.status).toBe(0);
      const base = name.replace(/\.csv$/, '');
      for (const file of ['cleaned.csv', 'suppressed.csv', 'retry-later.csv', 'fixes.csv']) {
        expectMatchesFile(readFileSync(path.join(out, file)), `exports/${base}/${file}`);
      }
      const report = JSON.parse(readFileSync(path.join(out, 'report.json'), 'utf8'));
      const { timings: _timings, outputs: _outputs, ...stable } = report;
      expectMatchesFile(Buffer.from(`${JSON.stringify(stable, null, 2)}\n`.replaceAll(out, 'OUT')), `exports/${base}/report.json`);
      expectMatchesFile(Buffer.from(result.stderr.replaceAll(out, 'OUT')), `exports/${base}/summary.txt`);

      // Nothing is lost: every data line is routed once, or is a note above the header or a footer line.
      const encoding = report.input.encoding === 'windows-1252' ? 'cp1252' : 'utf-8-sig';
      const delimiter = report.input.delimiter;
      const lists = ['cleaned.csv', 'suppressed.csv', 'retry-later.csv'].map((file) => csvRows(path.join(out, file), encoding, delimiter));
      expect(lists[0]! + lists[1]! + lists[2]!).toBe(report.input.rows);
      expect(report.counts.cleaned + report.counts.suppressed + report.counts.retryLater).toBe(report.input.rows);
      const inputLines = csvRows(`fixtures/exports/${name}`, encoding, delimiter);
      expect(report.input.rows + report.input.preambleLines + report.input.footerLines + report.input.blankLines).toBe(inputLines);
    });
  }
});
