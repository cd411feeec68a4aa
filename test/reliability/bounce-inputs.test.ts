import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO } from './cli-process.js';
import type { CleanReport } from '../../src/pipeline/clean.js';

const BIN = path.join(REPO, 'bin/hygiene.js');
const MAX_RSS = path.join(REPO, 'test/reliability/inject/max-rss.mjs');
const dir = mkdtempSync(path.join(os.tmpdir(), 'hygiene-bounce-inputs-'));
chmodSync(dir, 0o777);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const HARD =
  'Nov 20 10:00:00 mx postfix/smtp[123]: ABC123: to=<anna@example.de>, relay=mx.example.de[192.0.2.1]:25, delay=1, delays=0/0/0/1, dsn=5.1.1, status=bounced (host said: 550 5.1.1 User unknown)\n';
const contacts = path.join(dir, 'contacts.csv');
writeFileSync(contacts, 'email\nanna@example.de\nbob@example.com\n');
chmodSync(contacts, 0o644);

/** Runs a bash script without blocking the test worker (a blocked worker misses vitest's RPC). */
function sh(script: string, options: { asNobody?: boolean } = {}): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const command = options.asNobody
    ? ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', 'bash', '-c', script]
    : ['bash', '-c', script];
  const child = spawn(command[0]!, command.slice(1), {
    cwd: dir,
    env: {
      ...process.env,
      NO_COLOR: '1',
      FORCE_COLOR: '0',
      HYGIENE: `${process.execPath} ${BIN}`,
      RSS: `${process.execPath} --import ${MAX_RSS} ${BIN}`,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
  child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

let counter = 0;
function folder(): string {
  const made = path.join(dir, `f${++counter}`);
  mkdirSync(made);
  chmodSync(made, 0o777);
  return made;
}

function report(out: string): CleanReport {
  return JSON.parse(readFileSync(path.join(dir, out, 'report.json'), 'utf8')) as CleanReport;
}

describe('bounce inputs (built CLI)', () => {
  it('symbolic links inside a bounce folder are followed, and a link loop is read once', async () => {
    const logs = folder();
    const elsewhere = folder();
    writeFileSync(path.join(elsewhere, 'mail.log'), HARD);
    symlinkSync(path.join(elsewhere, 'mail.log'), path.join(logs, 'linked.log'));
    mkdirSync(path.join(logs, 'sub'));
    symlinkSync('..', path.join(logs, 'sub', 'loop'));
    const result = await sh(`$HYGIENE clean contacts.csv --bounces ${path.basename(logs)} -o out-links --no-state --now 2026-11-21`);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/1 suppressed/);
    expect(report('out-links').reasons).toEqual({ 'hard-bounce': 1 });
    expect(report('out-links').bounces.events).toBe(1);
  });

  it('a FIFO and process substitution are readable inputs', async () => {
    writeFileSync(path.join(dir, 'mail.log'), HARD);
    const substituted = await sh('$HYGIENE classify <(cat mail.log)');
    expect(substituted.status, substituted.stderr).toBe(0);
    expect(substituted.stdout).toMatch(/anna@example\.de\s+hard\s+userunknown/);
    const fifo = await sh(
      'rm -f pipe && mkfifo pipe && (cat mail.log > pipe &) && $HYGIENE clean contacts.csv --bounces pipe -o out-fifo --no-state --now 2026-11-21 -q',
    );
    expect(fifo.status, fifo.stderr).toBe(0);
    expect(report('out-fifo').reasons).toEqual({ 'hard-bounce': 1 });
  });

  it('an empty bounce folder is a warning in the summary and in report.json', async () => {
    const empty = folder();
    const result = await sh(`$HYGIENE clean contacts.csv --bounces ${path.basename(empty)} -o out-empty --no-state`);
    expect(result.status).toBe(0);
    expect(result.stderr).toMatch(new RegExp(`warning: the bounce folder ${path.basename(empty)} holds no file`));
    expect(report('out-empty').bounces.warnings).toContainEqual(expect.stringMatching(/holds no file/));
    const classified = await sh(`$HYGIENE classify ${path.basename(empty)}`);
    expect(classified.status).toBe(0);
    expect(classified.stderr).toMatch(new RegExp(`hygiene: warning: the bounce folder ${path.basename(empty)} holds no file`));
  });

  const rootChecks = process.getuid?.() === 0;
  let nobodyCanRun = !rootChecks;
  beforeAll(async () => {
    nobodyCanRun ||= (await sh('$HYGIENE --version', { asNobody: true })).status === 0;
    if (!nobodyCanRun)
      console.warn('\n*** bounce-inputs: the unreadable-file case is skipped: the checkout is not readable by user nobody ***\n');
  });

  it('an unreadable file inside a bounce folder is listed and skipped; --strict makes it fatal', async (context) => {
    if (!nobodyCanRun) context.skip();
    const logs = folder();
    writeFileSync(path.join(logs, 'a.log'), HARD);
    writeFileSync(path.join(logs, 'locked.log'), HARD);
    chmodSync(path.join(logs, 'a.log'), 0o644);
    chmodSync(path.join(logs, 'locked.log'), 0o000);
    const name = path.basename(logs);
    const lenient = await sh(`$HYGIENE clean contacts.csv --bounces ${name} -o out-locked --no-state --now 2026-11-21`, {
      asNobody: rootChecks,
    });
    expect(lenient.status, lenient.stderr).toBe(0);
    expect(lenient.stderr).toMatch(new RegExp(`could not be read \\(first: ${name}/locked\\.log\\)`));
    expect(report('out-locked').reasons).toEqual({ 'hard-bounce': 1 });
    const strict = await sh(`$HYGIENE clean contacts.csv --bounces ${name} -o out-locked-strict --no-state --strict`, {
      asNobody: rootChecks,
    });
    expect(strict.status).toBe(2);
    expect(strict.stderr).toMatch(new RegExp(`error: ${name}/locked\\.log: permission denied`));
    expect(strict.stderr).not.toMatch(/internal error/);
  });

  it('a line over 1 MB is cut and counted as unparsed with file:line; the lines after it are read', async () => {
    writeFileSync(path.join(dir, 'long.log'), `${HARD}${'x'.repeat(3 * 1024 * 1024)}\n${HARD.replace('anna@', 'carl@')}`);
    const result = await sh('$HYGIENE classify long.log');
    expect(result.status, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/long\.log:2: a line longer than 1 MB: cut, not read/);
    expect(result.stdout).toMatch(/anna@example\.de\s+hard/);
    expect(result.stdout).toMatch(/carl@example\.de\s+hard/);
  });

  it('hostile logs stay under 300 MB of memory: a gzip bomb without newlines, and 300 MB of NUL bytes', async () => {
    // A Postfix line, then 200 MB without a newline: about 200 KB of gzip (made off the worker thread).
    const letters = Buffer.alloc(200 * 1024 * 1024, 0x41);
    writeFileSync(path.join(dir, 'bomb.log.gz'), await promisify(gzip)(Buffer.concat([Buffer.from(HARD), letters]), { level: 1 }));
    writeFileSync(path.join(dir, 'nul.log'), Buffer.concat([Buffer.from(HARD), Buffer.alloc(300 * 1024 * 1024, 0)]));
    for (const [file, expected] of [
      [
        'bomb.log.gz',
        /bomb\.log\.gz:1: decompressed data reached \d+ MB from \d+ KB of gzip, over 100 times its size: reading stopped there/,
      ],
      ['nul.log', /nul\.log:2: a line longer than 1 MB: cut, not read/],
    ] as const) {
      const result = await sh(`$RSS classify ${file}`);
      expect(result.status, result.stderr).toBe(0);
      expect(result.stdout).toMatch(/anna@example\.de\s+hard/);
      expect(result.stderr).toMatch(expected);
      const rss = Number(/max-rss-kb=(\d+)/.exec(result.stderr)?.[1]);
      expect(rss).toBeGreaterThan(0);
      expect(rss).toBeLessThan(300 * 1024);
    }
    rmSync(path.join(dir, 'nul.log'));
  }, 120_000);
});
