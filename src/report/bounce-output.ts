import type { ChalkInstance } from 'chalk';
import { readNotes } from '../pipeline/bounce-read-stats.js';
import type { BounceReadStats } from '../pipeline/read-bounces.js';
import type { BounceRecord } from '../bounces/types.js';

/**
 * The classify output fields, in the contract's order (docs/architecture.md). Fields added later
 * go at the end, so that CSV readers that go by column position keep working.
 */
export const BOUNCE_FIELDS = [
  'recipient',
  'class',
  'reason',
  'action',
  'status',
  'smtpCode',
  'diagnostic',
  'remoteMta',
  'at',
  'queueId',
  'format',
  'source',
  'finalRecipient',
] as const;

/** `{"recipient":`, `,"class":`, ...: the fixed part of each JSONL line, made once. */
const JSON_KEYS = BOUNCE_FIELDS.map((field, index) => `${index === 0 ? '{' : ','}${JSON.stringify(field)}:`);

/**
 * One JSONL line: the fields in contract order, missing ones as null. Written out field by field
 * rather than through a temporary object: a big log prints millions of these, and the object
 * cost more than the JSON (the output is the same as JSON.stringify of that object).
 */
export function toJsonLine(record: BounceRecord): string {
  let line = '';
  for (let index = 0; index < BOUNCE_FIELDS.length; index++) {
    const value = record[BOUNCE_FIELDS[index]!];
    line +=
      JSON_KEYS[index]! +
      (value === undefined || value === null ? 'null' : typeof value === 'string' ? jsonString(value) : JSON.stringify(value));
  }
  return `${line}}\n`;
}

/** What JSON.stringify escapes in a string: `"`, `\\`, control characters and lone surrogates. */
const MAY_NEED_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

/**
 * A string as JSON.stringify writes it. Most fields need no escape, and quoting them directly
 * is a third faster; a surrogate, even in a valid pair, goes the safe way.
 */
function jsonString(value: string): string {
  return MAY_NEED_ESCAPE.test(value) ? JSON.stringify(value) : `"${value}"`;
}

/** A fixed-width row for people; long diagnostics are cut. */
export function toTableRow(record: BounceRecord, colors: ChalkInstance): string {
  const paint = classColor(record.class, colors);
  const code = [record.status, record.smtpCode].filter(Boolean).join(' ');
  const diagnostic = (record.diagnostic ?? '').replace(/\s+/g, ' ').slice(0, 70);
  return `${record.recipient.padEnd(32)} ${paint(record.class.padEnd(12))} ${record.reason.padEnd(15)} ${code.padEnd(10)} ${(record.at ?? '').slice(0, 19).padEnd(19)} ${colors.dim(diagnostic)}\n`;
}

export function tableHeader(colors: ChalkInstance): string {
  return colors.bold(
    `${'recipient'.padEnd(32)} ${'class'.padEnd(12)} ${'reason'.padEnd(15)} ${'code'.padEnd(10)} ${'at (UTC)'.padEnd(19)} diagnostic\n`,
  );
}

function classColor(klass: string, colors: ChalkInstance): (text: string) => string {
  switch (klass) {
    case 'hard':
    case 'complaint':
      return colors.red;
    case 'soft':
    case 'undetermined':
      return colors.yellow;
    case 'block':
      return colors.magenta;
    case 'delivered':
      return colors.green;
    default:
      return colors.dim;
  }
}

/** The summary of a bounce read, headed by the command that read (`classify`, `ingest`). */
export function formatReadSummary(
  stats: BounceReadStats,
  byClass: Record<string, number>,
  colors: ChalkInstance,
  command: 'classify' | 'ingest' = 'classify',
): string {
  const lines: string[] = [];
  const formats = [...new Set(stats.files.map((f) => f.format ?? 'unknown'))].join(', ');
  lines.push(
    `${colors.bold(`hygiene ${command}`)}: ${stats.files.length} input(s) (${formats}); ${stats.linesRead} lines read, ` +
      `${stats.records} delivery records, ${stats.skipped} skipped as not about delivery, ${stats.malformed} unparsed`,
  );
  const classes = Object.entries(byClass)
    .sort((a, b) => b[1] - a[1])
    .map(([name, count]) => `${count} ${name}`)
    .join(', ');
  if (classes) lines.push(`  by class: ${classes}`);
  if (stats.problems.length > 0) {
    lines.push(`  ${colors.yellow('unparsed')} (${stats.malformed}):`);
    for (const problem of stats.problems.slice(0, 20)) lines.push(`    ${problem.source}: ${problem.message}`);
    if (stats.malformed > 20) lines.push(`    ... and ${stats.malformed - 20} more (--strict makes them fatal)`);
  }
  for (const note of readNotes(stats)) lines.push(`  ${colors.yellow('note:')} ${note}`);
  return `${lines.join('\n')}\n`;
}
