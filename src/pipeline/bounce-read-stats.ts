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
}

export function emptyReadStats(): BounceReadStats {
  return { files: [], linesRead: 0, records: 0, skipped: 0, malformed: 0, problems: [] };
}
