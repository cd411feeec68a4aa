import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createWriteStream, promises as fsp, type WriteStream } from 'node:fs';
import path from 'node:path';
import { stringify, type Stringifier } from 'csv-stringify';
import { HygieneError } from '../errors.js';

/** One CSV output written to a temporary name first. */
export class CsvOutput {
  readonly finalPath: string;
  readonly tempPath: string;
  private readonly stringifier: Stringifier;
  private readonly stream: WriteStream;
  private failure: Error | null = null;
  rows = 0;

  constructor(finalPath: string, delimiter: string, lineEnding: string) {
    this.finalPath = finalPath;
    this.tempPath = tempNameFor(finalPath);
    // 'wx': never follow or reuse an existing file at the temporary name.
    this.stream = createWriteStream(this.tempPath, { flags: 'wx', highWaterMark: 256 * 1024 });
    this.stringifier = stringify({ delimiter, record_delimiter: lineEnding === '\r\n' ? 'windows' : 'unix' });
    this.stringifier.pipe(this.stream);
    const remember = (error: Error) => {
      this.failure ??= error;
    };
    this.stream.on('error', remember);
    this.stringifier.on('error', remember);
  }

  /** Writes one row; resolves at once unless the file is behind (back-pressure). */
  write(values: readonly string[]): Promise<void> | undefined {
    if (this.failure) throw this.failure;
    this.rows++;
    if (!this.stringifier.write(values)) return once(this.stringifier, 'drain').then(() => undefined);
    return undefined;
  }

  async close(): Promise<void> {
    if (this.failure) throw this.failure;
    this.stringifier.end();
    await once(this.stream, 'close');
    if (this.failure) throw this.failure;
  }

  async discard(): Promise<void> {
    this.stringifier.destroy();
    this.stream.destroy();
    await fsp.rm(this.tempPath, { force: true });
  }
}

/**
 * A fresh temporary name next to the final one. The pid alone is not enough: a killed run leaves
 * its temporary files behind, and in a container every run has the same pid, so the next run
 * would find the name taken ('wx') and fail.
 */
export function tempNameFor(finalPath: string): string {
  const unique = `${process.pid}.${randomBytes(6).toString('hex')}`;
  return path.join(path.dirname(finalPath), `.${path.basename(finalPath)}.${unique}.tmp`);
}

/**
 * Refuses an output path that is one of the inputs: by resolved path, and by device and inode for
 * an existing file reached through a link. An output that is a symlink is replaced by the rename
 * (rename never writes through a link), so it cannot reach the file it points to.
 */
export async function assertNotAnInput(output: string, inputs: readonly string[]): Promise<void> {
  const resolvedOutput = path.resolve(output);
  const outputStat = await fsp.stat(output).catch(() => null);
  for (const input of inputs) {
    const sameName = path.resolve(input) === resolvedOutput;
    const inputStat = await fsp.stat(input).catch(() => null);
    const sameFile = !!outputStat && !!inputStat && outputStat.ino === inputStat.ino && outputStat.dev === inputStat.dev;
    const outputLink = await fsp.lstat(output).catch(() => null);
    if (sameName || (sameFile && !outputLink?.isSymbolicLink())) {
      throw new HygieneError({
        code: 'OUTPUT_IS_INPUT',
        message: `the output ${output} is the input ${input}; hygiene never overwrites an input`,
        hint: 'Choose another --out-dir.',
      });
    }
  }
}

/** Writes a text file through a temporary name (used for report.json). */
export async function writeFileAtomically(finalPath: string, text: string): Promise<string> {
  const temp = tempNameFor(finalPath);
  await fsp.writeFile(temp, text, { flag: 'wx' });
  return temp;
}

/** Renames every temporary file to its final name, once all of them are complete. */
export async function commitAll(pairs: readonly { tempPath: string; finalPath: string }[]): Promise<void> {
  for (const { tempPath, finalPath } of pairs) await fsp.rename(tempPath, finalPath);
}

export async function ensureOutDir(outDir: string): Promise<void> {
  try {
    await fsp.mkdir(outDir, { recursive: true });
  } catch (error) {
    throw new HygieneError({
      code: 'OUTPUT_DIR',
      message: `cannot create the output folder ${outDir}: ${(error as Error).message}`,
      hint: 'Choose another --out-dir, or check its permissions.',
    });
  }
}
