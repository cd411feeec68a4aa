/**
 * Every `code` a HygieneError can carry, with what it means. Codes are stable: tests, scripts and
 * CI jobs match on them (the README lists them), so a code is added, never renamed or removed.
 */
export const ERROR_CODES = {
  USAGE: 'the command line is incomplete or contradicts itself',
  BAD_OPTION: 'an option value is not valid (a date, year, format name, ...)',
  CONFIG_NOT_FOUND: 'the configuration file named by --config does not exist',
  CONFIG_INVALID: 'the configuration file is not valid JSON or holds a bad value',
  DURATION_INVALID: 'a duration (--retry-delay, --soft-window, config) is not like 24h or 30d',
  INPUT_NOT_FOUND: 'an input file does not exist or cannot be read',
  INPUT_NOT_FILE: 'an input path is not a regular file',
  INPUT_EMPTY: 'the contact list is empty or holds no rows',
  INPUT_BINARY: 'an input is binary, not text',
  INPUT_NOT_CSV: 'the contact list is another kind of file (JSON, vCard, a web page), not CSV',
  INPUT_ENCODING: 'an input is not in the encoding it must have (a contact list mixing encodings, a lint template not in UTF-8)',
  CSV_UNTERMINATED_QUOTE: 'a quoted field of the contact list is never closed',
  CSV_RECORD_TOO_LONG: 'a row of the contact list is longer than any real row',
  CSV_RAGGED_ROWS: 'rows of the contact list have more or fewer fields than the header',
  CSV_INVALID: 'the contact list is not valid CSV',
  NO_EMAIL_COLUMN: 'no column of the contact list holds addresses',
  EMAIL_COLUMN_NOT_FOUND: 'the column named by --email-column does not exist',
  EMAIL_COLUMN_HAS_NO_ADDRESSES: 'the column named by --email-column holds no address (no @ in the sampled values)',
  OUTPUT_DIR: 'the output folder cannot be created or written',
  OUTPUT_IS_INPUT: 'an output would replace an input',
  OUTPUT_ENCODING: 'a value cannot be written in the output encoding (nothing is written)',
  UNKNOWN_FORMAT: 'a bounce input is in no known format',
  BOUNCE_INPUT_EMPTY: 'a bounce input given by name holds nothing',
  BOUNCE_MALFORMED: 'with --strict: a bounce input has a line or message that cannot be read',
  BOUNCE_TRUNCATED: 'a compressed bounce input ends early',
  BOUNCE_LINE_TOO_LONG: 'with --strict: a bounce input has a line longer than any log line',
  BOUNCE_GZIP_BOUND: 'with --strict: a compressed bounce input inflates beyond the bound (a decompression bomb?)',
  STATE_NOT_FOUND: 'there is no history database at --state yet',
  STATE_UNREADABLE: 'the history database cannot be opened',
  STATE_OUTDATED: 'the history database needs a migration that a read-only command cannot do',
  STATE_TOO_NEW: 'the history database was written by a newer hygiene',
  STATE_FOREIGN: 'the file at --state is a SQLite database of another program',
  STATE_CORRUPT: 'the history database is damaged (it is never reset)',
  STATE_BUSY: 'another run kept the history database busy for too long',
  STATE_READONLY: 'a change was attempted on a history opened read-only',
  STATE_ERROR: 'another error of the history database (disk space, permissions)',
  SUPPRESSION_INVALID: 'a suppression export cannot be read',
  UNSUPPRESS_NOT_FOUND: 'unsuppress --undo found no override for the address',
  CONFIRMATION_NEEDED: 'unsuppress of a complaint needs --yes when there is no terminal to ask',
  LINT_NOT_A_MESSAGE: 'a file given to lint is not an e-mail message',
} as const;

/**
 * A code of the list, or `OS_<errno>` (OS_EACCES, OS_ENOSPC, ...): an operating-system error on
 * a named path, with what it means and what to do.
 */
export type ErrorCode = keyof typeof ERROR_CODES | `OS_${string}`;

/**
 * The one error type of hygiene. It carries a message for people, a hint saying how to fix the
 * problem, an exit code (2 = bad usage or bad input) and a stable `code` that tests and scripts
 * can match on.
 */
export class HygieneError extends Error {
  readonly code: ErrorCode;
  readonly hint: string | undefined;
  readonly exitCode: number;
  readonly file: string | undefined;
  readonly line: number | undefined;

  constructor(options: { code: ErrorCode; message: string; hint?: string; exitCode?: number; file?: string; line?: number }) {
    super(options.message);
    this.name = 'HygieneError';
    this.code = options.code;
    this.hint = options.hint;
    this.exitCode = options.exitCode ?? 2;
    this.file = options.file;
    this.line = options.line;
  }

  /** `file:line: message` as people and editors expect it. */
  get location(): string | undefined {
    if (this.file === undefined) return undefined;
    return this.line === undefined ? this.file : `${this.file}:${this.line}`;
  }
}

export function isHygieneError(error: unknown): error is HygieneError {
  return error instanceof HygieneError;
}

interface OsErrorText {
  what: string;
  hint: string;
}

/** What an operating-system error means for a person, and what to do about it. */
const OS_ERRORS: Record<string, OsErrorText> = {
  EACCES: {
    what: 'permission denied',
    hint: 'Check the permissions of that file or folder (ls -l), or choose another path (--out-dir for outputs).',
  },
  EPERM: { what: 'operation not permitted', hint: 'Check the permissions and attributes of that file or folder, or choose another path.' },
  ENOSPC: {
    what: 'no space left on the device',
    hint: 'Free some disk space or choose an --out-dir on another disk; the previous outputs were left as they were.',
  },
  EDQUOT: {
    what: 'disk quota exceeded',
    hint: 'Free some space within your quota or choose an --out-dir elsewhere; the previous outputs were left as they were.',
  },
  EFBIG: {
    what: 'file too large for the file-size limit',
    hint: 'Raise the limit (ulimit -f unlimited) or write to a file system that allows larger files.',
  },
  EROFS: { what: 'the file system is read-only', hint: 'Choose an --out-dir on a writable file system.' },
  EISDIR: { what: 'is a folder where a file is needed', hint: 'Give the path of a file, or move the folder out of the way.' },
  ENOTDIR: { what: 'a part of the path is not a folder', hint: 'Check the path: one of its parents is a file.' },
  ENOENT: { what: 'no such file or folder (it may have been moved or deleted during the run)', hint: 'Check the path and run again.' },
  EMFILE: { what: 'too many open files', hint: 'Raise the limit (ulimit -n 4096) or give fewer inputs at once.' },
  ENFILE: { what: 'too many open files on the system', hint: 'Close other programs or raise the system limit, then run again.' },
  ELOOP: { what: 'too many symbolic links (a link loop)', hint: 'Fix the symbolic link so it points to a file.' },
  ENAMETOOLONG: { what: 'the path is too long', hint: 'Use a shorter path.' },
  EIO: { what: 'input/output error from the device', hint: 'Check the disk or network file system, then run again.' },
  EBUSY: { what: 'the file or device is busy', hint: 'Close the program that holds it, then run again.' },
  ETXTBSY: { what: 'the file is busy', hint: 'Close the program that holds it, then run again.' },
  EXDEV: { what: 'cannot move a file across devices', hint: 'Choose an --out-dir on one file system.' },
  ENXIO: { what: 'no such device (a FIFO without a writer?)', hint: 'Check that the program writing to it is running.' },
};

/**
 * An error from the operating system (a `code` like EACCES and usually a `path`) as a HygieneError
 * that names the path and says what to do; null for anything else (a real bug).
 */
export function osErrorAsHygieneError(error: unknown): HygieneError | null {
  if (!(error instanceof Error)) return null;
  const errno = error as NodeJS.ErrnoException & { dest?: string };
  const text = errno.code ? OS_ERRORS[errno.code] : undefined;
  if (!text) return null;
  let where = errno.path ? (errno.dest ? `${errno.path} -> ${errno.dest}` : errno.path) : undefined;
  // A temporary output file (.cleaned.csv.<pid>.<random>.tmp): name the output and its folder.
  const temp = errno.path ? /^(.*?)\.([^/\\]+)\.\d+\.[0-9a-f]{12}\.(?:tmp|old)$/.exec(errno.path) : null;
  if (temp) where = `cannot write ${temp[2]} in ${temp[1] === '' ? './' : temp[1]}`;
  const action = errno.syscall ? ` (${errno.syscall})` : '';
  return new HygieneError({
    code: `OS_${errno.code}`,
    message: `${where ?? 'a file'}: ${text.what}${action}`,
    hint: text.hint,
    ...(errno.path ? { file: errno.path } : {}),
  });
}
