import { Chalk, type ChalkInstance } from 'chalk';
import { isHygieneError, osErrorAsHygieneError } from '../errors.js';

/** Colours for stderr: none when NO_COLOR is set or stderr is not a terminal. */
export function stderrColors(): ChalkInstance {
  return colorsFor(process.stderr);
}

/** Colours for people's output on stdout (the classify table). */
export function stdoutColors(): ChalkInstance {
  return colorsFor(process.stdout);
}

function colorsFor(stream: NodeJS.WriteStream): ChalkInstance {
  const env = process.env;
  let level: 0 | 1 | 2 | 3 = 0;
  if (env.NO_COLOR === undefined || env.NO_COLOR === '') {
    if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0') level = 1;
    else if (stream.isTTY) level = stream.hasColors?.(256) ? 2 : 1;
  }
  return new Chalk({ level });
}

export function printError(thrown: unknown): number {
  const colors = stderrColors();
  // The machine's trouble (permissions, a full disk, a file-size limit) is not a bug in hygiene.
  const error = osErrorAsHygieneError(thrown) ?? thrown;
  if (isHygieneError(error)) {
    process.stderr.write(`${colors.red('hygiene: error:')} ${error.message}\n`);
    if (error.hint) process.stderr.write(`${colors.dim('hint:')} ${error.hint}\n`);
    return error.exitCode;
  }
  const stack = error instanceof Error ? (error.stack ?? error.message) : String(error);
  process.stderr.write(`${colors.red('hygiene: internal error:')} ${stack}\n`);
  process.stderr.write('This is a bug in hygiene; please report it with the command you ran.\n');
  return 2;
}
