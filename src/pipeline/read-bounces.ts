import { classifyBounce } from '../bounces/classify/index.js';
import { containerOf, detectFormat, formatByName, FORMATS, unknownFormatHint, wholeInputReader } from '../bounces/formats/index.js';
import {
  bytesToLines,
  InflationBoundError,
  MAX_LINE_BYTES,
  openBounceInput,
  type BounceInput,
  type OpenedInput,
} from '../bounces/input.js';
import { machineTimeZone, type TimeZone } from '../bounces/time-zone.js';
import type { BounceRecord, FormatParser, ParseItem, ParsedRecord } from '../bounces/types.js';
import { HygieneError, osErrorAsHygieneError } from '../errors.js';
import { ownString } from '../text/own-string.js';
import { isValidUtf8 } from '../text/utf8.js';
import { addCountedExamples, countExample, emptyReadStats, type BounceFileStats, type BounceReadStats } from './bounce-read-stats.js';
import { readOnWorkers, serializeError, workerCount, type InputOutcome } from './read-bounces-workers.js';

export { emptyReadStats, type BounceFileStats, type BounceReadStats } from './bounce-read-stats.js';

export interface ReadBouncesOptions {
  /** Force one format for every input (`--input-format`). */
  inputFormat?: string;
  /** Year for syslog timestamps without one. */
  year?: number;
  /** Zone of log times without one (`--timezone`); default the machine's zone (TZ). */
  timeZone?: TimeZone;
  /** Malformed lines and unknown files inside folders are fatal. */
  strict?: boolean;
}

const PROBLEM_LIST_LIMIT = 100;
/** Above this many inputs, records are gathered and sorted instead of merged from open files. */
const MERGE_OPEN_LIMIT = 32;

/** local@domain with something on both sides: what a delivery record's recipient must be. */
function looksLikeRecipient(recipient: string): boolean {
  const at = recipient.lastIndexOf('@');
  return at > 0 && at < recipient.length - 1;
}

/**
 * A parsed record with its class. Its texts are copied out of the input they were cut from
 * (`ownString`): records are kept until the inputs are all read, and must not keep them.
 */
export function classifyParsed(record: ParsedRecord, format: string): BounceRecord {
  const result = classifyBounce(record);
  const out: BounceRecord = {
    recipient: ownString(record.recipient),
    finalRecipient: ownString(finalRecipientOf(record)),
    class: result.class,
    reason: result.reason,
    action: record.action,
    status: ownString(result.status ?? record.status),
    smtpCode: record.smtpCode,
    diagnostic: ownString(record.diagnostic),
    remoteMta: ownString(record.remoteMta),
    at: ownString(record.at),
    queueId: ownString(record.queueId),
    format,
    source: ownString(record.source),
    messageKey: ownString(record.messageKey ?? record.queueId ?? null),
  };
  return out;
}

/** The final recipient, only when it is another address than the recipient. */
function finalRecipientOf(record: ParsedRecord): string | null {
  const final = record.finalRecipient;
  if (!final || final.toLowerCase() === record.recipient.toLowerCase()) return null;
  return final;
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
function readOne(input: BounceInput, options: ReadBouncesOptions, stats: BounceReadStats): AsyncGenerator<BounceRecord> {
  return readInput(() => openBounceInput(input), input, options, stats);
}

/** Reads an opened stream; `input` names it in sources and messages. */
export function readOpened(
  opened: OpenedInput,
  input: BounceInput,
  options: ReadBouncesOptions,
  stats: BounceReadStats,
): AsyncGenerator<BounceRecord> {
  return readInput(async () => opened, input, options, stats);
}

/** The one generator every record passes through: `open` runs when reading starts. */
async function* readInput(
  open: () => Promise<OpenedInput>,
  input: BounceInput,
  options: ReadBouncesOptions,
  stats: BounceReadStats,
): AsyncGenerator<BounceRecord> {
  const fileStats: BounceFileStats = { name: input.name, format: null, lines: 0, records: 0, skipped: 0, malformed: 0 };
  // Listed before the file is opened, so that files read side by side are listed in input order.
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
  let opened: OpenedInput;
  try {
    opened = await open();
  } catch (error) {
    // An unreadable file inside a folder is listed and skipped like an unknown one.
    const os = osErrorAsHygieneError(error);
    if (!os) throw error;
    refuse(os);
    return;
  }

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
      // A container of messages (an Outlook item, a zip) is named: in a folder, only the message is listed.
      const container = containerOf(opened.sample);
      refuse(
        new HygieneError({
          code: 'UNKNOWN_FORMAT',
          file: input.name,
          line: 1,
          message: container
            ? `${input.name}: ${container.name}, not a bounce format hygiene reads`
            : `${input.name}: unknown bounce format; tried ${FORMATS.length} formats (${FORMATS.map((f) => f.name).join(', ')}); ${tried}`,
          hint: container?.hint ?? unknownFormatHint(sampleText, input.name),
        }),
      );
      return;
    }
  }
  fileStats.format = format.name;

  const crOnly = !opened.sample.includes(0x0a) && opened.sample.includes(0x0d);
  const encoding = format.rawBytes ? 'latin1' : isValidUtf8(opened.sample, true) ? 'utf-8' : 'windows-1252';
  const context = {
    file: input.name,
    ...(options.year === undefined ? {} : { year: options.year }),
    ...(input.mtime ? { mtime: input.mtime } : opened.mtime ? { mtime: opened.mtime } : {}),
    timeZone: options.timeZone ?? machineTimeZone(),
  };
  const countLine = () => {
    stats.linesRead++;
    fileStats.lines++;
  };
  const overlong = (line: number) => {
    const message = `a line longer than ${MAX_LINE_BYTES / 1024 / 1024} MB: cut, not read`;
    if (options.strict) {
      throw new HygieneError({
        code: 'BOUNCE_LINE_TOO_LONG',
        file: input.name,
        line,
        message: `${input.name}:${line}: ${message}`,
        hint: 'This is not a mail log line (binary data, or a file without line breaks); run without --strict to skip it.',
      });
    }
    problem(`${input.name}:${line}`, message);
  };
  /** Counts an item; the classified record it gives, if any. */
  const take = (item: ParseItem): BounceRecord | null => {
    if (item.kind === 'record' && looksLikeRecipient(item.record.recipient)) {
      fileStats.records++;
      stats.records++;
      if (item.record.unreadTime !== undefined)
        countExample(stats.unreadTimes, { source: item.record.source, value: item.record.unreadTime });
      if (item.record.extraFields !== undefined) countExample(stats.widerRows, item.record.source);
      return classifyParsed(item.record, format.name);
    }
    if (item.kind === 'skipped') {
      const count = item.count ?? 1;
      fileStats.skipped += count;
      stats.skipped += count;
      return null;
    }
    // A "recipient" without an address (a broken message's junk) is not a delivery record.
    const [source, line, message] =
      item.kind === 'record'
        ? [item.record.source, undefined, `no recipient address (found ${JSON.stringify(item.record.recipient.slice(0, 40))})`]
        : [`${input.name}:${item.line}`, item.line, item.message];
    if (options.strict) {
      throw new HygieneError({
        code: 'BOUNCE_MALFORMED',
        file: input.name,
        ...(line === undefined ? {} : { line }),
        message: `${source}: ${message}`,
        hint: 'Fix or remove that line, or run without --strict to skip it.',
      });
    }
    problem(source, message);
    return null;
  };
  /** `take` of each item of an array, the records in an array of one kind whatever the items'. */
  const takeAll = (items: readonly ParseItem[]): BounceRecord[] => {
    const records: BounceRecord[] = [];
    for (const item of items) {
      const record = take(item);
      if (record !== null) records.push(record);
    }
    return records;
  };
  // A small message file is read whole, without cutting it into lines (same items, same counts).
  const whole = opened.whole && !opened.compressed ? (wholeInputReader(format)?.(opened.whole, context) ?? null) : null;
  if (whole) {
    stats.linesRead += whole.lines;
    fileStats.lines += whole.lines;
  }
  try {
    const items: AsyncIterable<ParseItem> | Iterable<ParseItem> = whole
      ? await whole.items
      : format.parse(bytesToLines(opened.chunks, encoding, crOnly, countLine, overlong), context);
    // A message file gives its items as an array: a plain loop, and the item handling in a
    // function of its own, so that V8 does not compile this generator again for each new kind
    // of input it meets.
    if (Array.isArray(items)) {
      for (const record of takeAll(items)) yield record;
    } else {
      for await (const item of items) {
        const record = take(item);
        if (record !== null) yield record;
      }
    }
  } catch (error) {
    if (error instanceof HygieneError) throw error;
    if (error instanceof InflationBoundError) {
      if (options.strict) {
        throw new HygieneError({
          code: 'BOUNCE_GZIP_BOUND',
          file: input.name,
          message: `${input.name}:${fileStats.lines}: ${error.message}`,
          hint: 'The file looks like a decompression bomb; decompress it yourself if it is genuine, or run without --strict to keep what was read.',
        });
      }
      problem(`${input.name}:${fileStats.lines}`, error.message);
      return;
    }
    const os = osErrorAsHygieneError(error);
    if (os) {
      refuse(os);
      return;
    }
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

/**
 * Reads every input and yields classified records merged by time: several inputs are merged on
 * their `at` (records without a time keep their place in their own input).
 */
export function readBounces(
  inputs: readonly BounceInput[],
  options: ReadBouncesOptions,
  stats: BounceReadStats,
): AsyncGenerator<BounceRecord> {
  // The machine's zone once for the run, not once per file: reading it costs as much as a message.
  if (!options.timeZone) options = { ...options, timeZone: machineTimeZone() };
  if (inputs.length === 1) return readOne(inputs[0]!, options, stats);
  if (inputs.length > MERGE_OPEN_LIMIT) return readManySorted(inputs, options, stats);
  return mergeByTime(inputs.map((input) => readOne(input, options, stats)));
}

/** Many inputs (a Maildir, a folder of .eml): read a few at a time, then sorted by time. */
async function* readManySorted(
  inputs: readonly BounceInput[],
  options: ReadBouncesOptions,
  stats: BounceReadStats,
): AsyncGenerator<BounceRecord> {
  yield* sortByTime(await readConcurrently(inputs, options, stats));
}

/** How many inputs are read at once: small files wait on the disk as much as they use the CPU. */
const CONCURRENT_READS = 8;

interface InputResult {
  records: BounceRecord[];
  stats: BounceReadStats;
}

/**
 * Reads the inputs several at a time, each into its own stats, and takes the results in input
 * order: records, counts, problems and the first error are those of reading them one by one.
 */
async function readConcurrently(
  inputs: readonly BounceInput[],
  options: ReadBouncesOptions,
  stats: BounceReadStats,
): Promise<BounceRecord[]> {
  const all: BounceRecord[] = [];
  const take = (records: readonly BounceRecord[], part: BounceReadStats) => {
    addStats(stats, part);
    for (const record of records) all.push(record);
  };
  const workers = workerCount(inputs);
  if (workers > 0) await readOnWorkers(inputs, options, workers, take, readBatch);
  else await readInOrder(inputs, options, CONCURRENT_READS, (result) => take(result.records, result.stats));
  return all;
}

/**
 * Reads the inputs `concurrency` at a time, each into its own stats, and hands the results to
 * `take` in input order. The first error is thrown at its input's turn, after the results before
 * it were taken; nothing more is started then (the few reads under way finish on their own).
 */
async function readInOrder(
  inputs: readonly BounceInput[],
  options: ReadBouncesOptions,
  concurrency: number,
  take: (result: InputResult) => void,
): Promise<void> {
  const running: (Promise<InputResult> | undefined)[] = [];
  let started = 0;
  const startNext = () => {
    const reading = readToEnd(inputs[started]!, options);
    // Its error, if any, is thrown when its turn comes; until then it must not count as unhandled.
    reading.catch(() => undefined);
    running[started++] = reading;
  };
  while (started < inputs.length && started < concurrency) startNext();
  for (let index = 0; index < inputs.length; index++) {
    const result = await running[index]!;
    running[index] = undefined;
    if (started < inputs.length) startNext();
    take(result);
  }
}

/** Inputs of a batch read at once (by a worker, or the main thread beside the workers). */
const BATCH_CONCURRENT_READS = 4;

/**
 * Reads a batch of inputs in order into their outcomes, an error as the outcome of its input
 * (the batch stops there: the inputs after it are not needed). What a worker thread does with
 * the batches it is sent, and the main thread with those it reads itself.
 */
export async function readBatch(inputs: readonly BounceInput[], options: ReadBouncesOptions): Promise<InputOutcome[]> {
  const outcomes: InputOutcome[] = [];
  try {
    await readInOrder(inputs, options, BATCH_CONCURRENT_READS, (result) => outcomes.push({ ...result, error: null }));
  } catch (error) {
    outcomes.push({ records: [], stats: emptyReadStats(), error: serializeError(error) });
  }
  return outcomes;
}

/** One input read whole into its own stats. */
export async function readToEnd(input: BounceInput, options: ReadBouncesOptions): Promise<InputResult> {
  const stats = emptyReadStats();
  const records: BounceRecord[] = [];
  for await (const record of readOne(input, options, stats)) records.push(record);
  return { records, stats };
}

function addStats(total: BounceReadStats, part: BounceReadStats): void {
  for (const file of part.files) total.files.push(file);
  total.linesRead += part.linesRead;
  total.records += part.records;
  total.skipped += part.skipped;
  total.malformed += part.malformed;
  for (const problem of part.problems) {
    if (total.problems.length >= PROBLEM_LIST_LIMIT) break;
    total.problems.push(problem);
  }
  addCountedExamples(total.unreadTimes, part.unreadTimes);
  addCountedExamples(total.widerRows, part.widerRows);
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
