/**
 * A history is hygiene's alone: created only where no file exists, marked with SQLite's
 * application_id; any other file given as --state (empty, not SQLite, another program's
 * database, a history missing a table) is refused with exit 2 "damaged or foreign history",
 * naming the file and what to do, and left byte for byte as it was.
 */
import crypto from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { HYGIENE_APPLICATION_ID } from '../../src/state/schema.js';
import { REPO, runCli } from '../cli/run-cli.js';
import { runCliAsync } from '../reliability/cli-process.js';

const NOW = '2026-11-24T00:00:00Z';
const BOUNCES = path.join(REPO, 'fixtures/demo/bounces');
let dir: string;
let list: string;

const sha256 = (file: string) => crypto.createHash('sha256').update(readFileSync(file)).digest('hex');

beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'hygiene-safety-'));
  list = path.join(dir, 'contacts.csv');
  writeFileSync(list, 'email\nann@example.org\n');
});

/** Every command that opens the history, reading or writing (the first three for most cases: the machine is shared). */
function commands(state: string, all: boolean): string[][] {
  const every = [
    ['clean', list, '--bounces', BOUNCES, '--state', state, '--now', NOW, '--out-dir', path.join(dir, 'out')],
    ['clean', list, '--state', state, '--now', NOW, '--out-dir', path.join(dir, 'out')],
    ['ingest', BOUNCES, '--state', state],
    ['history', 'ann@example.org', '--state', state],
    ['suppressions', 'list', '--state', state],
    ['unsuppress', 'ann@example.org', '--note', 'test', '--state', state],
  ];
  return all ? every : every.slice(0, 3);
}

function otherProgramsDatabase(file: string, applicationId: number | null): void {
  const db = new Database(file);
  if (applicationId !== null) db.pragma(`application_id = ${applicationId}`);
  db.exec("CREATE TABLE contacts (name TEXT, email TEXT); INSERT INTO contacts VALUES ('Ann', 'ann@example.org');");
  db.close();
}

function historyWithoutTable(file: string, table: string): void {
  const made = runCli(['ingest', BOUNCES, '--state', file, '-q']);
  expect(made.status, made.stderr).toBe(0);
  const db = new Database(file);
  db.exec(`DROP TABLE ${table}`);
  db.close();
}

const CASES: { name: string; make: (file: string) => void; says: RegExp; hint: RegExp; all?: boolean }[] = [
  {
    name: 'an empty file (0 bytes)',
    make: (file) => writeFileSync(file, ''),
    says: /the file is empty \(0 bytes\)/,
    hint: /delete it \(rm .*\) and run again.*restore it from a backup/,
    all: true,
  },
  {
    name: 'a text file',
    make: (file) => writeFileSync(file, 'name,email\nAnn,ann@example.org\n'),
    says: /it is not a SQLite database/,
    hint: /Restore it from a backup, or move it aside/,
  },
  {
    name: "another program's SQLite database with its own application_id",
    make: (file) => otherProgramsDatabase(file, 0x4d504246),
    says: /another program's SQLite database \(application_id 0x4d504246\)/,
    hint: /Point --state at a hygiene history/,
    all: true,
  },
  {
    name: "another program's SQLite database without application_id",
    make: (file) => otherProgramsDatabase(file, null),
    says: /a SQLite database of another program/,
    hint: /Point --state at a hygiene history/,
  },
  {
    name: 'an empty SQLite database',
    make: (file) => new Database(file).exec('VACUUM'),
    says: /an empty SQLite database, not a history/,
    hint: /Point --state/,
  },
  {
    name: 'a history missing its events table',
    make: (file) => historyWithoutTable(file, 'events'),
    says: /the table "events" is missing/,
    hint: /Restore it from a backup, or move it aside/,
  },
  {
    name: 'a history missing its suppressions table',
    make: (file) => historyWithoutTable(file, 'suppressions'),
    says: /the table "suppressions" is missing/,
    hint: /move it aside/,
  },
];

describe('a file that is not a hygiene history is refused and left byte for byte as it was', () => {
  for (const { name, make, says, hint, all } of CASES) {
    it(name, async () => {
      const state = path.join(dir, `${name.replace(/\W+/g, '-')}.db`);
      make(state);
      const before = sha256(state);
      const mode = statSync(state).mtimeMs;
      for (const args of commands(state, all === true)) {
        const result = await runCliAsync(args);
        expect(result.status, `${args.join(' ')}\n${result.stderr}`).toBe(2);
        expect(result.stderr).toContain(`hygiene: error: ${state}: damaged or foreign history: `);
        expect(result.stderr).toMatch(says);
        expect(result.stderr).toMatch(/the file was left as it is and will NOT be reset/);
        expect(result.stderr).toMatch(new RegExp(`hint: .*${hint.source}`));
        expect(result.stderr).not.toMatch(/internal error|at .*\.js:\d+/);
        expect(sha256(state), `${args[0]} left the bytes as they were`).toBe(before);
      }
      expect(statSync(state).mtimeMs).toBe(mode);
      expect(existsSync(`${state}-wal`) ? readFileSync(`${state}-wal`).length : 0).toBe(0);
      expect(existsSync(path.join(dir, 'out', 'cleaned.csv'))).toBe(false);
    });
  }
});

describe('a new history', () => {
  it("is created where no file exists, marked as hygiene's, in WAL mode", () => {
    const state = path.join(dir, 'new', 'history.db');
    const result = runCli(['ingest', BOUNCES, '--state', state, '-q']);
    expect(result.status, result.stderr).toBe(0);
    const db = new Database(state, { readonly: true });
    expect(db.pragma('application_id', { simple: true })).toBe(HYGIENE_APPLICATION_ID);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
    // No temporary file is left beside it.
    expect(readdir(path.dirname(state)).filter((name) => name.includes('.creating'))).toEqual([]);
  });

  it('is not created by a run that only reads (clean without bounces, history)', () => {
    const state = path.join(dir, 'never', 'history.db');
    expect(runCli(['clean', list, '--state', state, '--out-dir', path.join(dir, 'out-never'), '-q']).status).toBe(0);
    expect(existsSync(state)).toBe(false);
    const history = runCli(['history', 'ann@example.org', '--state', state]);
    expect(history.status).toBe(2);
    expect(history.stderr).toContain(`${state}: no history database yet`);
    expect(existsSync(state)).toBe(false);
  });
});

function readdir(folder: string): string[] {
  return existsSync(folder) ? readdirSync(folder) : [];
}
