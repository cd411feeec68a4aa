import { closeSync, linkSync, openSync, readSync, rmSync, statSync, copyFileSync, constants } from 'node:fs';
import { randomBytes } from 'node:crypto';

/**
 * What a history file is before SQLite touches it: read from the file's first 100 bytes, the
 * SQLite header, so that a file that is not hygiene's is refused without one byte written.
 */
export type FileKind =
  | { kind: 'missing' }
  | { kind: 'directory' }
  | { kind: 'empty' }
  | { kind: 'not-sqlite' }
  | { kind: 'sqlite'; applicationId: number; userVersion: number; size: number };

const SQLITE_MAGIC = Buffer.from('SQLite format 3\u0000', 'latin1');
const HEADER_SIZE = 100;

export function inspectFile(file: string): FileKind {
  const stat = statSync(file, { throwIfNoEntry: false });
  if (stat === undefined) return { kind: 'missing' };
  if (stat.isDirectory()) return { kind: 'directory' };
  if (stat.size === 0) return { kind: 'empty' };
  const header = Buffer.alloc(HEADER_SIZE);
  const fd = openSync(file, 'r');
  let read: number;
  try {
    read = readSync(fd, header, 0, HEADER_SIZE, 0);
  } finally {
    closeSync(fd);
  }
  if (read < HEADER_SIZE || !header.subarray(0, SQLITE_MAGIC.length).equals(SQLITE_MAGIC)) return { kind: 'not-sqlite' };
  return { kind: 'sqlite', applicationId: header.readUInt32BE(68), userVersion: header.readUInt32BE(60), size: stat.size };
}

/**
 * Puts a database made by `build` at `file`, only if no file is there: it is built under a
 * temporary name beside it and linked into place, which fails when another run got there
 * first. So two runs that create a history at the same moment never write one file together,
 * and nothing is ever created over an existing file. Returns false when another run won.
 */
export function createExclusively(file: string, build: (temporary: string) => void): boolean {
  const temporary = `${file}.${process.pid}-${randomBytes(4).toString('hex')}.creating`;
  try {
    build(temporary);
    try {
      linkSync(temporary, file);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') return false;
      // File systems without hard links: an exclusive copy is just as safe, only slower.
      if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EXDEV' && code !== 'ENOSYS') throw error;
      try {
        copyFileSync(temporary, file, constants.COPYFILE_EXCL);
      } catch (copyError) {
        if ((copyError as NodeJS.ErrnoException).code === 'EEXIST') return false;
        throw copyError;
      }
    }
    return true;
  } finally {
    for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(`${temporary}${suffix}`, { force: true });
  }
}
