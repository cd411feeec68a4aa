/**
 * Outputs never overwrite inputs, whatever path leads to them (same name, a symlinked output, a
 * symlinked folder, a hard link, a bounce log in the output folder), and what a killed run left
 * behind never blocks the next one.
 */
import {
  existsSync,
  linkSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runClean } from '../../src/pipeline/clean.js';
import { runCliAsync } from './cli-process.js';

const LIST = 'name,email\nAnn,ann@example.com\nBo,bo@gmial.com\n';
let dir: string;
let n = 0;
beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'hygiene-paths-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** A fresh folder holding the contact list under `name`. */
function setUp(name = 'contacts.csv'): { folder: string; input: string } {
  const folder = path.join(dir, `case-${n++}`);
  mkdirSync(folder);
  const input = path.join(folder, name);
  writeFileSync(input, LIST);
  return { folder, input };
}

// Each test has its own files and folders, so the runs overlap.
describe.concurrent('outputs never overwrite inputs', () => {
  it('an output that is a symlink to the input is replaced by the new file; the input is untouched', async () => {
    const { folder, input } = setUp();
    const out = path.join(folder, 'out');
    mkdirSync(out);
    symlinkSync(input, path.join(out, 'cleaned.csv'));
    const result = await runCliAsync(['clean', input, '--out-dir', out, '--no-state', '-q']);
    expect(result.status, result.stderr).toBe(0);
    expect(readFileSync(input, 'utf8')).toBe(LIST);
    expect(lstatSync(path.join(out, 'cleaned.csv')).isSymbolicLink()).toBe(false);
    expect(readFileSync(path.join(out, 'cleaned.csv'), 'utf8')).toBe('name,email\nAnn,ann@example.com\n');
  });

  it('an output folder that is a symlink to the folder of an input named like an output is refused', async () => {
    const { folder, input } = setUp('cleaned.csv');
    const linked = path.join(dir, `linked-${n++}`);
    symlinkSync(folder, linked);
    const result = await runCliAsync(['clean', input, '--out-dir', linked, '--no-state']);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/never overwrites an input/);
    expect(readFileSync(input, 'utf8')).toBe(LIST);
    expect(readdirSync(folder)).toEqual(['cleaned.csv']);
  });

  it('an input reached through a symlink that points at an output is refused', async () => {
    const { folder } = setUp();
    const out = path.join(folder, 'out');
    mkdirSync(out);
    const real = path.join(out, 'suppressed.csv');
    writeFileSync(real, LIST);
    const link = path.join(folder, 'list.csv');
    symlinkSync(real, link);
    const result = await runCliAsync(['clean', link, '--out-dir', out, '--no-state']);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/never overwrites an input/);
    expect(readFileSync(real, 'utf8')).toBe(LIST);
  });

  it('an output that is a hard link to the input is refused', async () => {
    const { folder, input } = setUp();
    const out = path.join(folder, 'out');
    mkdirSync(out);
    linkSync(input, path.join(out, 'retry-later.csv'));
    const result = await runCliAsync(['clean', input, '--out-dir', out, '--no-state']);
    expect(result.status).toBe(2);
    expect(readFileSync(input, 'utf8')).toBe(LIST);
  });

  it('a bounce log in the output folder under an output name is refused', async () => {
    const { folder, input } = setUp();
    const out = path.join(folder, 'out');
    mkdirSync(out);
    const log = path.join(out, 'report.json');
    const text = '{"email":"ann@example.com","type":"hard","status":"5.1.1","reason":"550 5.1.1 unknown","time":"2026-11-20T10:00:00Z"}\n';
    writeFileSync(log, text);
    const result = await runCliAsync(['clean', input, '--bounces', log, '--out-dir', out, '--no-state']);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/never overwrites an input/);
    expect(readFileSync(log, 'utf8')).toBe(text);
    expect(existsSync(path.join(out, 'cleaned.csv'))).toBe(false);
  });

  it('a history database named like an output is refused, not replaced by the output', async () => {
    const { folder, input } = setUp();
    const out = path.join(folder, 'out');
    const log = path.join(folder, 'mail.log');
    writeFileSync(
      log,
      '2026-11-20T10:00:00+00:00 mx1 postfix/smtp[1]: AAA111: to=<ann@example.com>, relay=none, delay=1, delays=1/0/0/0, dsn=5.1.1, status=bounced (host mx.example.com[192.0.2.1] said: 550 5.1.1 No such user (in reply to RCPT TO command))\n',
    );
    const state = path.join(out, 'report.json');
    const result = await runCliAsync(['clean', input, '--bounces', log, '--state', state, '--out-dir', out]);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/never overwrites an input/);
    const history = await runCliAsync(['history', 'ann@example.com', '--state', state, '--now', '2026-11-21T00:00:00Z']);
    expect(history.status, history.stderr).toBe(0);
    expect(history.stdout).toMatch(/suppressed \(hard-bounce\)/);
  });

  it('an output folder that is a file is a clear error', async () => {
    const { folder, input } = setUp();
    const notADir = path.join(folder, 'out');
    writeFileSync(notADir, 'x');
    const result = await runCliAsync(['clean', input, '--out-dir', notADir, '--no-state']);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/^hygiene: error: cannot create the output folder/);
    expect(result.stderr).not.toMatch(/internal error/);
  });
});

describe.concurrent('what a killed run leaves behind', () => {
  it('does not block the next run, even one with the same process id (as in a container)', async () => {
    const { folder, input } = setUp();
    const out = path.join(folder, 'out');
    mkdirSync(out);
    // What a run with this pid, killed half-way, left before the temporary names were unique.
    const leftovers = ['cleaned.csv', 'suppressed.csv', 'retry-later.csv', 'report.json'].map((name) =>
      path.join(out, `.${name}.${process.pid}.tmp`),
    );
    for (const file of leftovers) writeFileSync(file, 'half-written');
    const report = await runClean({ input, outDir: out });
    expect(report.counts).toEqual({ cleaned: 1, suppressed: 1, retryLater: 0 });
    expect(readFileSync(path.join(out, 'cleaned.csv'), 'utf8')).toBe('name,email\nAnn,ann@example.com\n');
    for (const file of leftovers) expect(readFileSync(file, 'utf8')).toBe('half-written');
  });
});
