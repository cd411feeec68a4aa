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

interface OsErrorText {
  what: string;
  hint: string;
}

/** What an operating-system error means for a person, and what to do about it. */
const OS_ERRORS: Record<string, OsErrorText> = {
  EACCES: { what: 'permission denied', hint: 'Check the permissions of that file or folder (ls -l), or choose another path (--out-dir for outputs).' },
  EPERM: { what: 'operation not permitted', hint: 'Check the permissions and attributes of that file or folder, or choose another path.' },
  ENOSPC: { what: 'no space left on the device', hint: 'Free some disk space or choose an --out-dir on another disk; the previous outputs were left as they were.' },
  EDQUOT: { what: 'disk quota exceeded', hint: 'Free some space within your quota or choose an --out-dir elsewhere; the previous outputs were left as they were.' },
  EFBIG: { what: 'file too large for the file-size limit', hint: 'Raise the limit (ulimit -f unlimited) or write to a file system that allows larger files.' },
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
