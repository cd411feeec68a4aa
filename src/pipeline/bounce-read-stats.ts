/** What reading bounce inputs counted: kept apart from the readers so a run without bounces need not load them. */
export interface BounceFileStats {
  name: string;
  format: string | null;
  lines: number;
  records: number;
  skipped: number;
  malformed: number;
}

export interface BounceReadStats {
  files: BounceFileStats[];
  linesRead: number;
  records: number;
  skipped: number;
  malformed: number;
  /** The first problems (file:line and what), for the summary. */
  problems: { source: string; message: string }[];
  /**
   * Records whose time the source holds but the parser could not read: they count as of unknown
   * time (a soft bounce then waits out no retry delay), so the user must learn of them.
   */
  unreadTimes: number;
  /** The first of them (where, and the value as written). */
  unreadTimeExamples: { source: string; value: string }[];
  /** Records of CSV rows wider than their header (an unquoted delimiter): the values past it were not read. */
  widerRows: number;
  /** The first of them (where). */
  widerRowExamples: string[];
}

/** How many records with an unread time (or a row wider than its header) are listed (all are counted). */
export const UNREAD_TIME_EXAMPLES = 3;

export function emptyReadStats(): BounceReadStats {
  return {
    files: [],
    linesRead: 0,
    records: 0,
    skipped: 0,
    malformed: 0,
    problems: [],
    unreadTimes: 0,
    unreadTimeExamples: [],
    widerRows: 0,
    widerRowExamples: [],
  };
}

/** Counts a record read from a row wider than its header. */
export function countWiderRow(stats: BounceReadStats, source: string): void {
  stats.widerRows++;
  if (stats.widerRowExamples.length < UNREAD_TIME_EXAMPLES) stats.widerRowExamples.push(source);
}

/** The note a summary gives for rows wider than their header, or null when there are none. */
export function widerRowNote(stats: BounceReadStats): string | null {
  if (stats.widerRows === 0) return null;
  return (
    `${stats.widerRows} row(s) of a bounce export hold more values than its header (${stats.widerRowExamples.join(', ')}): ` +
    'a field holds the delimiter unquoted, so the values past the header were not read and the fields after the split may be off; quote such fields'
  );
}

/** Counts a record whose time was not read. */
export function countUnreadTime(stats: BounceReadStats, source: string, value: string): void {
  stats.unreadTimes++;
  if (stats.unreadTimeExamples.length < UNREAD_TIME_EXAMPLES) stats.unreadTimeExamples.push({ source, value });
}

/** The note a summary gives for records whose time was not read, or null when there are none. */
export function unreadTimeNote(stats: BounceReadStats): string | null {
  if (stats.unreadTimes === 0) return null;
  const examples = stats.unreadTimeExamples.map((example) => `${example.source} ${JSON.stringify(example.value)}`).join(', ');
  return (
    `${stats.unreadTimes} bounce record(s) hold a time hygiene could not read (${examples}): they count as of unknown time, ` +
    'so a soft bounce among them waits out no retry delay; write the times as ISO 8601 (2026-12-02T10:00:00Z)'
  );
}
