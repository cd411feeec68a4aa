/**
 * A one-line progress display for long runs (`clean` on millions of rows, `classify` on big logs).
 * It draws on stderr only when a person is watching (a terminal, not CI), at most about five
 * times a second, so it never slows the hot loop or pollutes a redirected log.
 */

/** The part of a write stream the display needs (a fake one is enough in tests). */
export interface ProgressStream {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export interface ProgressOptions {
  /** Size of the input in bytes; with it the display shows a percentage and an ETA. */
  totalBytes?: number;
  /** What is being counted, e.g. the input file name. */
  label: string;
  /** What `rows` counts (default "rows"), e.g. "domains". */
  unit?: string;
  /** Where to draw; default process.stderr. */
  stream?: ProgressStream;
  /** Draw at all; default: the stream is a terminal and the CI variable is not set. */
  enabled?: boolean;
  /** Clock in milliseconds; tests pass a fake one. */
  now?: () => number;
}

export interface Progress {
  /** Reports the rows done so far and, if known, the bytes read so far. Cheap to call often. */
  update(rows: number, bytesRead?: number): void;
  /** Clears the line; later updates are ignored. */
  done(): void;
}

/** ~5 redraws a second: smooth enough for a person, invisible in the run time. */
export const REDRAW_INTERVAL_MS = 200;

// Carriage return, then "erase to end of line" so a shorter text leaves no tail of the longer one.
const ERASE_LINE = '\x1b[K';
// Made at the first draw: an Intl formatter costs ~20 ms to create, which runs that draw nothing
// (every run that is not on a terminal) should not pay.
let numberFormat: Intl.NumberFormat | null = null;
function formatNumber(value: number): string {
  numberFormat ??= new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
  return numberFormat.format(value);
}

const DISABLED: Progress = {
  update() {},
  done() {},
};

export function createProgress(options: ProgressOptions): Progress {
  const stream = options.stream ?? process.stderr;
  const enabled = options.enabled ?? (Boolean(stream.isTTY) && !process.env.CI);
  if (!enabled) return DISABLED;

  const now = options.now ?? Date.now;
  const started = now();
  let lastDraw = started;
  let drawn = false;
  let finished = false;

  return {
    update(rows, bytesRead) {
      if (finished) return;
      const at = now();
      // The first redraw waits a full interval too: runs shorter than that show nothing.
      if (at - lastDraw < REDRAW_INTERVAL_MS) return;
      lastDraw = at;
      const line = formatProgressLine({
        label: options.label,
        ...(options.unit !== undefined ? { unit: options.unit } : {}),
        rows,
        elapsedMs: at - started,
        ...(bytesRead !== undefined ? { bytesRead } : {}),
        ...(options.totalBytes !== undefined ? { totalBytes: options.totalBytes } : {}),
      });
      stream.write(`\r${fitToWidth(line, stream.columns)}${ERASE_LINE}`);
      drawn = true;
    },
    done() {
      if (finished) return;
      finished = true;
      if (drawn) stream.write(`\r${ERASE_LINE}`);
    },
  };
}

export interface ProgressState {
  label: string;
  unit?: string;
  rows: number;
  elapsedMs: number;
  bytesRead?: number;
  totalBytes?: number;
}

/** `contacts.csv: 1,234,567 rows, 250,000 rows/s, 45%, ETA 0:12` */
export function formatProgressLine(state: ProgressState): string {
  const unit = state.unit ?? 'rows';
  const parts = [`${state.label}: ${formatNumber(state.rows)} ${unit}`];
  const seconds = state.elapsedMs / 1000;
  if (seconds > 0) parts.push(`${formatNumber(state.rows / seconds)} ${unit}/s`);
  const { bytesRead, totalBytes } = state;
  if (bytesRead !== undefined && totalBytes !== undefined && totalBytes > 0 && bytesRead > 0) {
    const fraction = Math.min(bytesRead / totalBytes, 1);
    parts.push(`${Math.floor(fraction * 100)}%`);
    // Bytes, not rows, predict the rest: the row count of the whole file is unknown until the end.
    parts.push(`ETA ${formatDuration((seconds * (totalBytes - Math.min(bytesRead, totalBytes))) / bytesRead)}`);
  }
  return parts.join(', ');
}

/** 75 -> "1:15", 3725 -> "1:02:05". */
export function formatDuration(totalSeconds: number): string {
  const whole = Math.max(0, Math.ceil(totalSeconds));
  const hours = Math.floor(whole / 3600);
  const minutes = Math.floor((whole % 3600) / 60);
  const seconds = String(whole % 60).padStart(2, '0');
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${seconds}` : `${minutes}:${seconds}`;
}

// A line wider than the terminal wraps, and `\r` then only returns to the start of the last part.
function fitToWidth(line: string, columns: number | undefined): string {
  if (!columns || columns < 2 || line.length < columns) return line;
  return line.slice(0, columns - 1);
}
