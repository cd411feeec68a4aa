import { spawn } from 'node:child_process';
import path from 'node:path';
import type { CliResult } from '../cli/run-cli.js';

const REPO = path.resolve(__dirname, '../..');
const BIN = path.join(REPO, 'bin/hygiene.js');

/**
 * Runs the built CLI without blocking this process: the fake DNS server the CLI asks lives
 * here, and a synchronous spawn would stop it from answering.
 */
export function runCliAsync(args: string[], options: { cwd?: string } = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: options.cwd ?? REPO,
      env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ status: code ?? -1, stdout, stderr }));
  });
}
