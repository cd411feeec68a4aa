/**
 * The one error type of hygiene. It carries a message for people, a hint saying how to fix the
 * problem, an exit code (2 = bad usage or bad input) and a stable `code` that tests and scripts
 * can match on.
 */
export class HygieneError extends Error {
  readonly code: string;
  readonly hint: string | undefined;
  readonly exitCode: number;
  readonly file: string | undefined;
  readonly line: number | undefined;

  constructor(options: {
    code: string;
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
