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
  INPUT_ENCODING: 'the contact list mixes encodings, or --encoding does not fit it',
  CSV_UNTERMINATED_QUOTE: 'a quoted field of the contact list is never closed',
  CSV_RECORD_TOO_LONG: 'a row of the contact list is longer than any real row',
  CSV_RAGGED_ROWS: 'rows of the contact list have more or fewer fields than the header',
  CSV_INVALID: 'the contact list is not valid CSV',
  NO_EMAIL_COLUMN: 'no column of the contact list holds addresses',
  EMAIL_COLUMN_NOT_FOUND: 'the column named by --email-column does not exist',
  OUTPUT_DIR: 'the output folder cannot be created or written',
  OUTPUT_IS_INPUT: 'an output would replace an input',
  UNKNOWN_FORMAT: 'a bounce input is in no known format',
  BOUNCE_INPUT_EMPTY: 'a bounce input given by name holds nothing',
  BOUNCE_MALFORMED: 'with --strict: a bounce input has a line or message that cannot be read',
  BOUNCE_TRUNCATED: 'a compressed bounce input ends early',
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
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

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

  constructor(options: {
    code: ErrorCode;
    message: string;
    hint?: string;
    exitCode?: number;
    file?: string;
    line?: number;
  }) {
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
