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
  unreadTimes: CountedExamples<{ source: string; value: string }>;
  /** Records of CSV rows wider than their header (an unquoted delimiter): the values past it were not read. */
  widerRows: CountedExamples<string>;
}

/** How many of something the reading met, with the first few of them (all are counted). */
export interface CountedExamples<T> {
  count: number;
  examples: T[];
}

/** How many examples a summary names. */
const LISTED_EXAMPLES = 3;

export function emptyReadStats(): BounceReadStats {
  return {
    files: [],
    linesRead: 0,
    records: 0,
    skipped: 0,
    malformed: 0,
    problems: [],
    unreadTimes: { count: 0, examples: [] },
    widerRows: { count: 0, examples: [] },
  };
}

/** Counts one more, keeping it as an example while there are few. */
export function countExample<T>(tally: CountedExamples<T>, example: T): void {
  tally.count++;
  if (tally.examples.length < LISTED_EXAMPLES) tally.examples.push(example);
}

/** Adds the counts and examples of a part (an input read on its own) to the total. */
export function addCountedExamples<T>(total: CountedExamples<T>, part: CountedExamples<T>): void {
  total.count += part.count;
  for (const example of part.examples) {
    if (total.examples.length >= LISTED_EXAMPLES) break;
    total.examples.push(example);
  }
}

/** The notes a summary gives for what the reading kept but could not wholly read. */
export function readNotes(stats: BounceReadStats): string[] {
  const notes: string[] = [];
  const { widerRows, unreadTimes } = stats;
  if (widerRows.count > 0) {
    notes.push(
      `${widerRows.count} row(s) of a bounce export hold more values than its header (${widerRows.examples.join(', ')}): ` +
        'a field holds the delimiter unquoted, so the values past the header were not read and the fields after the split may be off; quote such fields',
    );
  }
  if (unreadTimes.count > 0) {
    const examples = unreadTimes.examples.map((example) => `${example.source} ${JSON.stringify(example.value)}`).join(', ');
    notes.push(
      `${unreadTimes.count} bounce record(s) hold a time hygiene could not read (${examples}): they count as of unknown time, ` +
        'so a soft bounce among them waits out no retry delay; write the times as ISO 8601 (2026-12-02T10:00:00Z)',
    );
  }
  return notes;
}
