import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO, startCli, waitFor } from './cli-process.js';

const BIN = path.join(REPO, 'bin/hygiene.js');
const dir = mkdtempSync(path.join(os.tmpdir(), 'hygiene-os-errors-'));
chmodSync(dir, 0o755);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the built CLI without blocking the test worker (a blocked worker misses vitest's RPC). */
function run(
  args: string[],
  options: { shell?: string; env?: Record<string, string>; nodeArgs?: string[]; asNobody?: boolean } = {},
): Promise<{ status: number | null; stderr: string; stdout: string }> {
  const env = { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0', ...options.env };
  const command = [process.execPath, ...(options.nodeArgs ?? []), BIN, ...args];
  const [file, ...rest] = options.shell
    ? ['bash', '-c', `${options.shell}; exec "$@"`, 'bash', ...command]
    : options.asNobody
      ? ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', ...command]
      : command;
  const child = spawn(file!, rest, { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
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
function contacts(rows: number, name = `list-${++counter}.csv`): string {
  const lines = ['email,name'];
  for (let i = 0; i < rows; i++) lines.push(`user${i}@example.com,Name ${i}`);
  const file = path.join(dir, name);
  writeFileSync(file, `${lines.join('\n')}\n`);
  chmodSync(file, 0o644);
  return file;
}

function outDir(): string {
  const out = path.join(dir, `out-${++counter}`);
  mkdirSync(out);
  chmodSync(out, 0o777);
  return out;
}

/** Files an interrupted or failed run could leave: hygiene's temporary and backup names. */
function leftovers(folder: string): string[] {
  return readdirSync(folder).filter((name) => /\.(tmp|old)$/.test(name));
}

function expectOsError(result: { status: number | null; stderr: string }, pattern: RegExp): void {
  expect(result.stderr).not.toMatch(/internal error|bug in hygiene|at .*\.js:\d+/);
  expect(result.stderr).toMatch(pattern);
  expect(result.stderr).toMatch(/hint: /);
  expect(result.status).toBe(2);
}

/** Root reads and writes anything: permission cases run as nobody where the checkout allows it. */
const asNobody = process.getuid?.() === 0;
const nobodyCanRun =
  !asNobody ||
  spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, BIN, '--version'], { cwd: dir }).status === 0;
if (!nobodyCanRun) console.warn('\n*** os-errors: permission cases skipped: the checkout is not readable by user nobody ***\n');

describe('operating-system errors are exit 2 naming the path and what to do (built CLI)', () => {
  it.runIf(nobodyCanRun)('an unreadable input (EACCES)', async () => {
    const input = contacts(3);
    chmodSync(input, 0o000);
    const result = await run(['clean', input, '-o', outDir(), '--no-state'], { asNobody });
    expectOsError(result, new RegExp(`${path.basename(input)}: permission denied`));
  });

  it.runIf(nobodyCanRun)('a read-only output folder (EACCES), nothing written', async () => {
    const out = outDir();
    chmodSync(out, 0o555);
    const result = await run(['clean', contacts(3), '-o', out, '--no-state'], { asNobody });
    expectOsError(result, /cannot write cleaned\.csv in .*: permission denied/);
    expect(readdirSync(out)).toEqual([]);
  });

  it('-o /proc', async () => {
    const result = await run(['clean', contacts(3), '-o', '/proc', '--no-state']);
    expectOsError(result, /cannot write cleaned\.csv in \/proc/);
  });

  it('a file-size limit (EFBIG, `ulimit -f`): the previous outputs stay, no temporary file is left', async () => {
    const out = outDir();
    expect((await run(['clean', contacts(5), '-o', out, '--no-state', '-q'])).status).toBe(0);
    const before = readFileSync(path.join(out, 'cleaned.csv'), 'utf8');
    const result = await run(['clean', contacts(20_000), '-o', out, '--no-state'], { shell: 'ulimit -f 100' });
    expectOsError(result, /cannot write cleaned\.csv in .*: file too large for the file-size limit/);
    expect(result.stderr).toMatch(/ulimit -f unlimited/);
    expect(readFileSync(path.join(out, 'cleaned.csv'), 'utf8')).toBe(before);
    expect(leftovers(out)).toEqual([]);
  });

  it('a full disk (ENOSPC, injected into the fs layer): the previous outputs stay, no temporary file is left', async () => {
    const out = outDir();
    expect((await run(['clean', contacts(5), '-o', out, '--no-state', '-q'])).status).toBe(0);
    const before = readFileSync(path.join(out, 'report.json'), 'utf8');
    const result = await run(['clean', contacts(20_000), '-o', out, '--no-state'], {
      nodeArgs: ['--import', path.join(REPO, 'test/reliability/inject/enospc.mjs')],
      env: { HYGIENE_TEST_ENOSPC_AFTER: '100000' },
    });
    expectOsError(result, /cannot write cleaned\.csv in .*: no space left on the device/);
    expect(readFileSync(path.join(out, 'report.json'), 'utf8')).toBe(before);
    expect(leftovers(out)).toEqual([]);
  });

  it('an output folder that is a file (ENOTDIR/EEXIST), and an output that is a folder (EISDIR)', async () => {
    const file = contacts(2);
    expectOsError(await run(['clean', contacts(3), '-o', file, '--no-state']), /output folder/);
    const out = outDir();
    mkdirSync(path.join(out, 'report.json'));
    writeFileSync(path.join(out, 'report.json', 'keep'), 'x');
    expectOsError(await run(['clean', contacts(3), '-o', out, '--no-state']), /report\.json: is a folder where a file is needed/);
    expect(existsSync(path.join(out, 'cleaned.csv'))).toBe(false);
    expect(leftovers(out)).toEqual([]);
  });
});

describe('the output set lands whole (built CLI)', () => {
  it('a rename that fails half-way puts the earlier outputs back', async () => {
    const out = outDir();
    expect((await run(['clean', contacts(5), '-o', out, '--no-state', '-q'])).status).toBe(0);
    const before = Object.fromEntries(
      ['cleaned.csv', 'suppressed.csv', 'report.json'].map((name) => [name, readFileSync(path.join(out, name), 'utf8')]),
    );
    // retry-later.csv is renamed after cleaned and suppressed: make that rename fail.
    const result = await run(['clean', contacts(9), '-o', out, '--no-state'], {
      nodeArgs: ['--import', path.join(REPO, 'test/reliability/inject/fail-rename.mjs')],
      env: { HYGIENE_TEST_FAIL_RENAME: 'retry-later.csv' },
    });
    expectOsError(result, /retry-later\.csv.*input\/output error/);
    for (const [name, text] of Object.entries(before)) expect(readFileSync(path.join(out, name), 'utf8')).toBe(text);
    expect(leftovers(out)).toEqual([]);
  });

  it('report.json lists each list with its rows and sha256, matching the files', async () => {
    const { createHash } = await import('node:crypto');
    const out = outDir();
    writeFileSync(path.join(dir, 'mixed-reasons.csv'), 'email\na@example.com\nbad@@x\na@example.com\n');
    expect((await run(['clean', path.join(dir, 'mixed-reasons.csv'), '-o', out, '--no-state', '-q'])).status).toBe(0);
    const report = JSON.parse(readFileSync(path.join(out, 'report.json'), 'utf8'));
    expect(report.output.encoding).toBe('utf-8');
    expect(report.output.files.cleaned.rows).toBe(1);
    expect(report.output.files.suppressed.rows).toBe(2);
    for (const [name, file] of [
      ['cleaned', 'cleaned.csv'],
      ['suppressed', 'suppressed.csv'],
      ['retryLater', 'retry-later.csv'],
    ] as const) {
      const sha = createHash('sha256')
        .update(readFileSync(path.join(out, file)))
        .digest('hex');
      expect(report.output.files[name].sha256).toBe(sha);
    }
  });

  it('a run without --fix removes the fixes.csv of an earlier --fix run', async () => {
    const out = outDir();
    writeFileSync(path.join(dir, 'typo.csv'), 'email\nbob@gmial.com\n');
    expect((await run(['clean', path.join(dir, 'typo.csv'), '-o', out, '--no-state', '--fix', '-q'])).status).toBe(0);
    expect(existsSync(path.join(out, 'fixes.csv'))).toBe(true);
    expect((await run(['clean', path.join(dir, 'typo.csv'), '-o', out, '--no-state', '-q'])).status).toBe(0);
    expect(existsSync(path.join(out, 'fixes.csv'))).toBe(false);
    expect(JSON.parse(readFileSync(path.join(out, 'report.json'), 'utf8')).fixes).toBe(0);
  });

  it('stale temporary files of a killed run are swept at the next start; others are left alone', async () => {
    const out = outDir();
    const stale = path.join(out, '.cleaned.csv.4000000.0123456789ab.tmp');
    const foreign = path.join(out, '.notes.txt.4000000.0123456789ab.tmp');
    writeFileSync(stale, 'half a list');
    writeFileSync(foreign, 'not ours');
    expect((await run(['clean', contacts(3), '-o', out, '--no-state', '-q'])).status).toBe(0);
    expect(existsSync(stale)).toBe(false);
    expect(existsSync(foreign)).toBe(true);
  });

  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    it(`${signal} during a run removes its temporary files`, async () => {
      const out = outDir();
      const input = contacts(400_000, `big-${signal}.csv`);
      const running = startCli(['clean', input, '-o', out, '--no-state', '-q'], { cwd: dir });
      let ended = false;
      void running.done.then(() => (ended = true));
      // Race a short poll against the run: kill as soon as its temporary files exist.
      await waitFor(() => ended || leftovers(out).length > 0, 60_000, 'temporary files');
      expect(ended).toBe(false);
      running.child.kill(signal);
      const result = await running.done;
      expect(result.signal).toBe(signal);
      expect(existsSync(path.join(out, 'report.json'))).toBe(false);
      expect(leftovers(out)).toEqual([]);
    });
  }
});
