import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { HygieneError } from '../../src/errors.js';
import { MIGRATIONS, SCHEMA_VERSION, migrate, schemaVersion } from '../../src/state/migrations.js';
import { HYGIENE_APPLICATION_ID } from '../../src/state/schema.js';

function emptyDb(): { db: Database.Database; file: string } {
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'hygiene-')), 'history.db');
  return { db: new Database(file), file };
}

describe('migrations', () => {
  it('are numbered 1, 2, 3, ... in order', () => {
    expect(MIGRATIONS.map((migration) => migration.version)).toEqual(MIGRATIONS.map((_, index) => index + 1));
    expect(SCHEMA_VERSION).toBe(MIGRATIONS.length);
  });

  it('bring an empty database to the current version, and do nothing the second time', () => {
    const { db, file } = emptyDb();
    expect(schemaVersion(db)).toBe(0);
    expect(migrate(db, file)).toEqual({ from: 0, to: SCHEMA_VERSION });
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as Array<{ name: string }>).map(
      (row) => row.name,
    );
    expect(tables).toEqual(['addresses', 'events', 'meta', 'overrides', 'suppressions', 'texts']);
    expect(db.pragma('application_id', { simple: true })).toBe(HYGIENE_APPLICATION_ID);
    expect(migrate(db, file)).toEqual({ from: SCHEMA_VERSION, to: SCHEMA_VERSION });
    db.close();
  });

  it('apply each step in its own transaction: a failing step leaves the version where it was', () => {
    const { db, file } = emptyDb();
    db.exec('CREATE TABLE suppressions (x)'); // makes step 1 fail half-way
    expect(() => migrate(db, file)).toThrow(/already exists/);
    expect(schemaVersion(db)).toBe(0);
    expect(db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'events'").get()).toEqual({ n: 0 });
    db.close();
  });

  it('refuse a database from a newer hygiene', () => {
    const { db, file } = emptyDb();
    db.pragma(`user_version = ${SCHEMA_VERSION + 3}`);
    try {
      migrate(db, file);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(HygieneError);
      expect((error as HygieneError).code).toBe('STATE_TOO_NEW');
      expect((error as HygieneError).message).toContain(`${file}: the history database was made by a newer hygiene`);
    }
    db.close();
  });
});
