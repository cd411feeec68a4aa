import { HygieneError } from '../errors.js';
import { isValidUtf8 } from '../contacts/sniff.js';
import { classifyBounce } from './classify/index.js';
import { detectFormat, formatByName, FORMATS } from './formats/index.js';
import { bytesToLines, openBounceInput, type BounceInput, type OpenedInput } from './input.js';
import type { BounceRecord, FormatParser, ParsedRecord } from './types.js';

export interface ReadBouncesOptions {
  /** Force one format for every input (`--input-format`). */
  inputFormat?: string;
  /** Year for syslog timestamps without one. */
  year?: number;
  /** Malformed lines and unknown files inside folders are fatal. */
  strict?: boolean;
}

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

const PROBLEM_LIST_LIMIT = 100;
/** Above this many inputs, records are gathered and sorted instead of merged from open files. */
const MERGE_OPEN_LIMIT = 32;

export function emptyReadStats(): BounceReadStats {
  return { files: [], linesRead: 0, records: 0, skipped: 0, malformed: 0, problems: [] };
}

export function classifyParsed(record: ParsedRecord, format: string): BounceRecord {
  const result = classifyBounce(record);
  const out: BounceRecord = {
    recipient: record.recipient,
    class: result.class,
    reason: result.reason,
    action: record.action,
    status: result.status ?? record.status,
    smtpCode: record.smtpCode,
    diagnostic: record.diagnostic,
    remoteMta: record.remoteMta,
    at: record.at,
    queueId: record.queueId,
    format,
    source: record.source,
    messageKey: record.messageKey ?? record.queueId ?? null,
  };
  return out;
}

function resolveForcedFormat(name: string | undefined): FormatParser | null {
  if (name === undefined) return null;
  const format = formatByName(name);
  if (!format) {
    throw new HygieneError({
      code: 'BAD_OPTION',
      message: `--input-format ${JSON.stringify(name)} is not a known format`,
      hint: `Known formats: ${FORMATS.map((f) => f.name).join(', ')} (hygiene classify --list-formats).`,
    });
  }
  return format;
}

/** Reads one input: detects its format, parses and classifies every delivery record. */
async function* readOne(input: BounceInput, options: ReadBouncesOptions, stats: BounceReadStats): AsyncGenerator<BounceRecord> {
  yield* readOpened(await openBounceInput(input), input, options, stats);
}

/** Reads an opened stream; `input` names it in sources and messages. */
export async function* readOpened(
  opened: OpenedInput,
  input: BounceInput,
  options: ReadBouncesOptions,
  stats: BounceReadStats,
): AsyncGenerator<BounceRecord> {
  const fileStats: BounceFileStats = { name: input.name, format: null, lines: 0, records: 0, skipped: 0, malformed: 0 };
  stats.files.push(fileStats);
  const problem = (source: string, message: string) => {
    stats.malformed++;
    fileStats.malformed++;
    if (stats.problems.length < PROBLEM_LIST_LIMIT) stats.problems.push({ source, message });
  };
  const refuse = (error: HygieneError) => {
    if (!input.fromDirectory || options.strict) throw error;
    // The problem's source names the file already; the message starts with it too.
    const prefix = `${input.name}: `;
    problem(input.name, error.message.startsWith(prefix) ? error.message.slice(prefix.length) : error.message);
  };

  if (opened.sample.length === 0) {
    refuse(
      new HygieneError({
        code: 'BOUNCE_INPUT_EMPTY',
        file: input.name,
        message: `${input.name}: the file is empty`,
        hint: 'Give a bounce log, an ESP export or bounce messages.',
      }),
    );
    return;
  }
  const sampleText = opened.sample.toString('utf-8');
  let format = resolveForcedFormat(options.inputFormat);
  if (!format) {
    const detection = detectFormat(sampleText, input.name);
    format = detection.format;
    if (!format) {
      const near = detection.scores.filter((s) => s.score > 0).slice(0, 3);
      const tried = near.length > 0 ? `closest: ${near.map((s) => `${s.name} ${s.score.toFixed(2)}`).join(', ')}` : 'none matched at all';
      refuse(
        new HygieneError({
          code: 'UNKNOWN_FORMAT',
          file: input.name,
          line: 1,
          message: `${input.name}: unknown bounce format; tried ${FORMATS.length} formats (${FORMATS.map((f) => f.name).join(', ')}); ${tried}`,
          hint: 'If you know the format, name it with --input-format NAME (hygiene classify --list-formats lists them).',
        }),
      );
      return;
    }
  }
  fileStats.format = format.name;

  const crOnly = !opened.sample.includes(0x0a) && opened.sample.includes(0x0d);
  const encoding = format.rawBytes ? 'latin1' : isValidUtf8(opened.sample, true) ? 'utf-8' : 'windows-1252';
  const lines = countingLines(bytesToLines(opened.chunks, encoding, crOnly), stats, fileStats);
  const context = {
    file: input.name,
    ...(options.year === undefined ? {} : { year: options.year }),
    ...(input.mtime ? { mtime: input.mtime } : {}),
  };
  try {
    for await (const item of format.parse(lines, context)) {
      if (item.kind === 'record') {
        fileStats.records++;
        stats.records++;
        yield classifyParsed(item.record, format.name);
      } else if (item.kind === 'skipped') {
        fileStats.skipped++;
        stats.skipped++;
      } else {
        const source = `${input.name}:${item.line}`;
        if (options.strict) {
          throw new HygieneError({
            code: 'BOUNCE_MALFORMED',
            file: input.name,
            line: item.line,
            message: `${source}: ${item.message}`,
            hint: 'Fix or remove that line, or run without --strict to skip it.',
          });
        }
        problem(source, item.message);
      }
    }
  } catch (error) {
    if (error instanceof HygieneError) throw error;
    const code = (error as { code?: string }).code ?? '';
    if (code.startsWith('Z_') || /unexpected end of file|incorrect header check/i.test(String((error as Error).message))) {
      const message = `compressed data is truncated or corrupt after line ${fileStats.lines} (${(error as Error).message})`;
      if (options.strict) {
        throw new HygieneError({
          code: 'BOUNCE_TRUNCATED',
          file: input.name,
          line: fileStats.lines,
          message: `${input.name}:${fileStats.lines}: ${message}`,
          hint: 'The records before that point were read; re-copy the file, or run without --strict to keep them.',
        });
      }
      problem(`${input.name}:${fileStats.lines}`, message);
      return;
    }
    throw error;
  }
}

async function* countingLines(
  lines: AsyncIterable<{ line: number; text: string }>,
  stats: BounceReadStats,
  fileStats: BounceFileStats,
): AsyncGenerator<{ line: number; text: string }> {
  for await (const line of lines) {
    stats.linesRead++;
    fileStats.lines++;
    yield line;
  }
}

/**
 * Reads every input and yields classified records merged by time: several inputs are merged on
 * their `at` (records without a time keep their place in their own input).
 */
export async function* readBounces(
  inputs: readonly BounceInput[],
  options: ReadBouncesOptions,
  stats: BounceReadStats,
): AsyncGenerator<BounceRecord> {
  if (inputs.length === 1) {
    yield* readOne(inputs[0]!, options, stats);
    return;
  }
  if (inputs.length > MERGE_OPEN_LIMIT) {
    const all: BounceRecord[] = [];
    for (const input of inputs) for await (const record of readOne(input, options, stats)) all.push(record);
    yield* sortByTime(all);
    return;
  }
  yield* mergeByTime(inputs.map((input) => readOne(input, options, stats)));
}

function sortByTime(records: BounceRecord[]): BounceRecord[] {
  let lastKey = '';
  const keyed = records.map((record, index) => {
    if (record.at) lastKey = record.at;
    return { record, key: record.at ?? lastKey, index };
  });
  keyed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.index - b.index));
  return keyed.map((k) => k.record);
}

async function* mergeByTime(streams: AsyncGenerator<BounceRecord>[]): AsyncGenerator<BounceRecord> {
  interface Head {
    stream: AsyncGenerator<BounceRecord>;
    record: BounceRecord;
    key: string;
    order: number;
  }
  const heads: Head[] = [];
  const advance = async (stream: AsyncGenerator<BounceRecord>, order: number, previousKey: string) => {
    const next = await stream.next();
    if (!next.done) heads.push({ stream, record: next.value, key: next.value.at ?? previousKey, order });
  };
  for (let i = 0; i < streams.length; i++) await advance(streams[i]!, i, '');
  while (heads.length > 0) {
    let best = 0;
    for (let i = 1; i < heads.length; i++) {
      const a = heads[i]!;
      const b = heads[best]!;
      if (a.key < b.key || (a.key === b.key && a.order < b.order)) best = i;
    }
    const head = heads.splice(best, 1)[0]!;
    yield head.record;
    await advance(head.stream, head.order, head.key);
  }
}
