import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';

export const REPO = path.resolve(__dirname, '../..');
const BIN = path.join(REPO, 'bin/hygiene.js');

export interface CliResult {
  status: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs the built CLI (`npm test` builds first) as a user would, without colours, on a machine
 * whose zone is UTC (log times without a zone are read in the machine's zone; the expected
 * outputs were written in UTC). `env` may set another TZ.
 */
export function runCli(args: string[], options: { cwd?: string; input?: string; env?: Record<string, string> } = {}): CliResult {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    cwd: options.cwd ?? REPO,
    input: options.input ?? '',
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0', TZ: 'UTC', ...options.env },
    maxBuffer: 64 * 1024 * 1024,
  });
  return { status: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

/**
 * Compares a whole output with the expected file under fixtures/expected. Set
 * HYGIENE_UPDATE_EXPECTED=1 to write the expected files after a reviewed change; without it a
 * missing expected file is a failure (an output compared with itself proves nothing).
 */
export function expectMatchesFile(actual: string, expectedRelative: string): void {
  const expectedPath = path.join(REPO, 'fixtures/expected', expectedRelative);
  if (process.env.HYGIENE_UPDATE_EXPECTED === '1') {
    mkdirSync(path.dirname(expectedPath), { recursive: true });
    writeFileSync(expectedPath, actual);
  }
  if (!existsSync(expectedPath)) {
    throw new Error(`missing expected file ${expectedPath}: review the output and write it with HYGIENE_UPDATE_EXPECTED=1`);
  }
  expect(actual).toBe(readFileSync(expectedPath, 'utf8'));
}
