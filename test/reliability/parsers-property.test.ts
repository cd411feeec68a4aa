/**
 * Property tests on every parser and on the pipeline: whatever the input, no row is lost or
 * doubled, values come out as they went in, bounce parsers never crash or invent a recipient,
 * and recording bounces gives the same history for any order and repetition of the logs.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import fc from 'fast-check';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { detectFormat, HygieneError, parseBounces } from '../../src/index.js';
import { bytesToLines, openBounceStream } from '../../src/bounces/input.js';
import { BOUNCE_CLASSES, type BounceRecord } from '../../src/bounces/types.js';
import { readContactRows, sniffContactFile, type ReadStats } from '../../src/contacts/reader.js';
import { runClean, type HistoryVerdict } from '../../src/pipeline/clean.js';
import { decide, DEFAULT_POLICY } from '../../src/policy/decide.js';
import { escapeFormula } from '../../src/contacts/escape.js';
import { HistoryStore } from '../../src/state/history-store.js';
import { REPO } from './cli-process.js';

let dir: string;
let counter = 0;
const fresh = (name: string) => path.join(dir, `${counter++}-${name}`);
beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'hygiene-props-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

async function* chunked(bytes: Buffer, cuts: number[]): AsyncGenerator<Buffer> {
  let start = 0;
  for (const cut of [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b)) {
    yield bytes.subarray(start, cut);
    start = cut;
  }
  yield bytes.subarray(start);
}

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const item of items) all.push(item);
  return all;
}

describe('bounce input plumbing', () => {
  const lineText = fc
    .array(fc.oneof(fc.string({ maxLength: 20 }), fc.constantFrom('é', '日本語', '😀', 'ü\u0301', '\t', ' ')), { maxLength: 4 })
    .map((parts) => parts.join(''));

  it('bytesToLines gives back every line, numbered, however the bytes are cut (multi-byte characters, CRLF)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(lineText, { minLength: 1, maxLength: 20 }),
        fc.constantFrom('\n', '\r\n'),
        fc.boolean(),
        fc.array(fc.nat(), { maxLength: 12 }),
        async (lines, ending, finalBreak, cuts) => {
          const text = lines.join(ending) + (finalBreak ? ending : '');
          const got = await collect(bytesToLines(chunked(Buffer.from(text, 'utf8'), cuts), 'utf-8', false));
          const expected = lines.slice();
          if (expected[expected.length - 1] === '' && !finalBreak) expected.pop();
          expect(got.map((line) => line.text)).toEqual(expected);
          expect(got.map((line) => line.line)).toEqual(expected.map((_, index) => index + 1));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('a gzip-compressed input reads exactly like the plain one, however it is cut', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ minLength: 1, maxLength: 3000 }),
        fc.array(fc.nat(), { maxLength: 8 }),
        fc.boolean(),
        async (raw, cuts, compress) => {
          const plain = Buffer.from(raw);
          fc.pre(!(plain[0] === 0x1f && plain[1] === 0x8b));
          const opened = await openBounceStream(chunked(compress ? gzipSync(plain) : plain, cuts));
          expect(opened.compressed).toBe(compress);
          const all = Buffer.concat(await collect(opened.chunks));
          expect(all.equals(plain)).toBe(true);
          expect(opened.sample.equals(plain.subarray(0, opened.sample.length))).toBe(true);
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe('every bounce format parser, on mangled real inputs', () => {
  const REASON_NAME = /^[a-z]+$/;
  const CLASSES = new Set<string>(BOUNCE_CLASSES);
  const root = path.join(REPO, 'fixtures/bounces');
  const byFormat = new Map<string, { name: string; lines: string[] }[]>();
  for (const folder of readdirSync(root)) {
    for (const name of readdirSync(path.join(root, folder))) {
      const text = readFileSync(path.join(root, folder, name), 'latin1');
      const format = detectFormat(text.slice(0, 64 * 1024), name).format?.name;
      if (!format) continue;
      byFormat.set(format, [...(byFormat.get(format) ?? []), { name, lines: text.split('\n').slice(0, 120) }]);
    }
  }

  /** Edits real files suffer: lines cut short, lost, doubled, or hit by junk. */
  const mutation = fc.oneof(
    fc.record({ kind: fc.constant('truncate' as const), at: fc.nat(), keep: fc.nat() }),
    fc.record({ kind: fc.constant('drop' as const), at: fc.nat() }),
    fc.record({ kind: fc.constant('double' as const), at: fc.nat() }),
    fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: fc.string({ maxLength: 60 }) }),
    fc.record({
      kind: fc.constant('splice' as const),
      at: fc.nat(),
      keep: fc.nat(),
      text: fc.constantFrom('"', '{', '}', ',', '<', '>', '@', '\\', ':', '=?utf-8?q?', '--', '\u0000', 'é'),
    }),
  );
  function mangle(lines: string[], edits: { kind: string; at: number; keep?: number; text?: string }[]): string[] {
    const out = lines.slice();
    for (const edit of edits) {
      if (out.length === 0) break;
      const at = edit.at % out.length;
      const line = out[at]!;
      if (edit.kind === 'truncate') out[at] = line.slice(0, (edit.keep ?? 0) % (line.length + 1));
      else if (edit.kind === 'drop') out.splice(at, 1);
      else if (edit.kind === 'double') out.splice(at, 0, line);
      else if (edit.kind === 'insert') out.splice(at, 0, edit.text ?? '');
      else {
        const cut = (edit.keep ?? 0) % (line.length + 1);
        out[at] = line.slice(0, cut) + (edit.text ?? '') + line.slice(cut);
      }
    }
    return out;
  }

  it('the fixtures cover every format', () => {
    expect([...byFormat.keys()].sort()).toEqual(
      expect.arrayContaining([
        'exim',
        'postfix',
        'sendmail',
        'powermta',
        'haraka',
        'ses',
        'sendgrid',
        'mailgun',
        'postmark',
        'sparkpost',
        'mailchimp',
        'generic-csv',
        'generic-jsonl',
      ]),
    );
  });

  for (const [format, files] of byFormat) {
    it(`${format}: never crashes, classifies every record, sources point into the input, recipients are not invented`, async () => {
      await fc.assert(
        fc.asyncProperty(fc.constantFrom(...files), fc.array(mutation, { maxLength: 6 }), async (file, edits) => {
          const lines = mangle(file.lines, edits);
          const text = lines.join('\n');
          const name = `input/${file.name}`;
          let records: BounceRecord[] = [];
          try {
            records = await collect(
              parseBounces(chunked(Buffer.from(text, 'latin1'), [text.length >> 1]), { format, file: name, year: 2026 }),
            );
          } catch (error) {
            // Input mangled beyond reading may be refused, but only with a clear error.
            if (!(error instanceof HygieneError)) throw error;
            return;
          }
          const lower = text.toLowerCase();
          for (const record of records) {
            expect(CLASSES.has(record.class)).toBe(true);
            expect(record.reason).toMatch(REASON_NAME);
            expect(record.format).toBe(format);
            const location = /^input\/[^:#]+(?::(\d+))?(?:#(\d+))?$/.exec(record.source);
            expect(location, record.source).not.toBeNull();
            if (location![1] !== undefined) {
              expect(Number(location![1])).toBeGreaterThanOrEqual(1);
              expect(Number(location![1])).toBeLessThanOrEqual(lines.length);
            }
            expect(record.recipient.length).toBeGreaterThan(0);
            // Message formats decode MIME (encoded words, QP), so only plain-text formats are held to this.
            if (format !== 'eml' && format !== 'mbox' && /^[\x21-\x7e]+$/.test(record.recipient) && !/["\\]/.test(record.recipient)) {
              expect(lower, `recipient ${record.recipient} is in the input`).toContain(record.recipient.toLowerCase());
            }
          }
        }),
        { numRuns: 40 },
      );
    });
  }
});

describe('the contact reader', () => {
  const printable = fc.string({ maxLength: 10 });
  const value = fc.oneof(
    printable,
    fc.constantFrom(
      '',
      'a,b',
      'a;b',
      'a|b',
      'say "hi"',
      'line\nbreak',
      'crlf\r\nbreak',
      'cr\rbreak',
      'Zoë',
      'Façade',
      '日本語',
      '=SUM(A1)',
      '  padded  ',
      'tab\there',
    ),
  );
  const address = fc.oneof(
    fc.constantFrom('ann@example.com', 'bo@example.org', ' cy@example.net ', 'not-an-address', ''),
    fc.tuple(fc.stringMatching(/^[a-z0-9.]{1,8}$/), fc.constantFrom('example.com', 'gmial.com')).map(([l, d]) => `${l}@${d}`),
  );
  const ENCODINGS = ['utf-8', 'utf-8 with BOM', 'utf-16le with BOM', 'utf-16be with BOM', 'windows-1252'] as const;

  function encode(text: string, encoding: (typeof ENCODINGS)[number]): Buffer {
    if (encoding === 'utf-8') return Buffer.from(text, 'utf8');
    if (encoding === 'utf-8 with BOM') return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]);
    if (encoding === 'utf-16le with BOM') return Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(text, 'utf-16le')]);
    if (encoding === 'utf-16be with BOM') return Buffer.concat([Buffer.from([0xfe, 0xff]), iconv.encode(text, 'utf-16be')]);
    return iconv.encode(text, 'win1252');
  }

  it('reads back exactly the rows written, with the line each starts on, in every encoding, delimiter and line ending', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(value, address, value), { minLength: 1, maxLength: 15 }),
        fc.constantFrom(...ENCODINGS),
        fc.constantFrom(',', ';', '\t', '|'),
        fc.constantFrom('\n', '\r\n', '\r'),
        async (rows, encoding, delimiter, ending) => {
          if (encoding === 'windows-1252') rows = rows.map((row) => row.map((v) => (v === '日本語' ? 'Noël' : v)) as typeof row);
          const header = ['name', 'email', 'notes'];
          // RFC 4180: a value holding a line break of any kind is quoted.
          const records = [header, ...rows].map((row) => stringify([row], { delimiter, record_delimiter: ending, quoted_match: /[\r\n]/ }));
          const file = fresh('list.csv');
          writeFileSync(file, encode(records.join(''), encoding));
          const info = await sniffContactFile(file, { delimiter, ...(encoding === 'windows-1252' ? { encoding } : {}) });
          expect(info.emailColumn.index).toBe(1);
          const stats: ReadStats = { raggedCount: 0, raggedLines: [], blankLines: 0 };
          const read = await collect(readContactRows(info, {}, stats));
          expect(read.map((row) => row.values)).toEqual(rows);
          // Each row starts on the line after all the line breaks before it.
          let line = 1;
          const expectedLines = records.map((record) => {
            const start = line;
            line += (record.match(/\r\n|\r|\n/g) ?? []).length;
            return start;
          });
          expect(read.map((row) => row.line)).toEqual(expectedLines.slice(1));
          expect(stats.raggedCount).toBe(0);
        },
      ),
      { numRuns: 120 },
    );
  });
});

describe('the clean pipeline', () => {
  const value = fc.oneof(
    fc.string({ maxLength: 8 }),
    fc.constantFrom('=SUM(A1)', '+1 555', '-5', '@handle', '\tlead', 'a,b', 'say "hi"', 'line\nbreak', 'Zoë', ''),
  );
  const address = fc.oneof(
    fc.constantFrom(
      'ann@example.com',
      'ANN@example.com',
      'bo@gmial.com',
      'cy@mailinator.com',
      'info@example.com',
      'dee@example.org',
      '=1+1@example.com',
      '-2@gmial.com',
      'not an address',
      '',
    ),
    fc.tuple(fc.stringMatching(/^[a-z]{1,6}$/), fc.constantFrom('example.com', 'example.org', 'gmial.com')).map(([l, d]) => `${l}@${d}`),
  );
  const remoteText = fc.constantFrom(
    'hard bounce (userunknown, 5.1.1) on 2026-11-20',
    '=HYPERLINK("http://x.example")',
    '+cmd',
    '@SUM(1)',
    '-1',
    '\tx',
    'mail.log:3',
  );
  const verdict: fc.Arbitrary<HistoryVerdict> = fc.record({
    list: fc.constantFrom('suppressed' as const, 'retry-later' as const),
    reason: fc.constantFrom('hard-bounce' as const, 'complaint' as const, 'soft-bounce' as const, 'sender-blocked' as const),
    detail: remoteText,
    source: remoteText,
    softCount: fc.nat({ max: 5 }),
    lastBounce: fc.constant('2026-11-20T10:00:00.000Z'),
    retryAfter: fc.constant('2026-11-21T10:00:00.000Z'),
  });

  it('every row lands in exactly one list, with its values as they were (or as documented: --fix, --escape-formulas)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(value, address, value), { minLength: 1, maxLength: 25 }),
        fc.dictionary(
          fc.constantFrom('ann@example.com', 'dee@example.org', 'bo@gmial.com', 'info@example.com', '=1+1@example.com'),
          verdict,
        ),
        fc.boolean(),
        fc.boolean(),
        fc.constantFrom(',', ';'),
        async (rows, verdicts, fix, escapeFormulas, delimiter) => {
          const input = fresh('in.csv');
          const outDir = fresh('out');
          const header = ['id', 'name', 'email', 'notes'];
          const data = rows.map((row, index) => [`r${index}`, ...row]);
          // A list whose address column holds no "@" at all is refused (exit 2): that is another test.
          fc.pre(data.some((r) => (r[2] ?? '').includes('@')));
          writeFileSync(input, stringify([header, ...data], { delimiter }));
          const history = new Map(Object.entries(verdicts));
          const report = await runClean({
            input,
            outDir,
            emailColumn: 'email',
            fix,
            escapeFormulas,
            historyVerdict: (a) => history.get(a.trim().toLowerCase()) ?? null,
          });
          const read = (name: string) => (parse(readFileSync(path.join(outDir, name), 'utf8'), { delimiter }) as string[][]).slice(1);
          const lists = { cleaned: read('cleaned.csv'), suppressed: read('suppressed.csv'), 'retry-later': read('retry-later.csv') };
          const fixes = fix ? read('fixes.csv') : [];

          // Conservation: each input row exactly once across the three lists, in input order within each.
          const ids = Object.values(lists).flatMap((list) => list.map((row) => row[0]));
          expect(ids.sort()).toEqual(data.map((row) => row[0]).sort());
          for (const list of Object.values(lists)) {
            const order = list.map((row) => Number(row[0]!.slice(1)));
            expect(order).toEqual([...order].sort((a, b) => a - b));
          }
          expect(report.input.rows).toBe(data.length);
          expect(report.counts.cleaned + report.counts.suppressed + report.counts.retryLater).toBe(data.length);

          // Values: unchanged, except the address of a fixed row and, with --escape-formulas, a leading '.
          const byId = new Map(data.map((row) => [row[0]!, row]));
          const fixedAddresses = new Set(fixes.map((row) => row[2]));
          for (const [name, list] of Object.entries(lists)) {
            for (const row of list) {
              const original = byId.get(row[0]!)!;
              const shown = escapeFormulas ? original.map(escapeFormula) : original;
              for (const column of [0, 1, 3]) expect(row[column], `${name} column ${column}`).toBe(shown[column]);
              if (row[2] !== shown[2]) {
                // A corrected row is checked again: it may still be a duplicate, or have bounced.
                expect(fix, `${name}: only --fix changes an address`).toBe(true);
                expect(fixedAddresses.has(row[2]!) || fixedAddresses.has(escapeFormula(row[2]!)), `${row[2]} is in fixes.csv`).toBe(true);
              }
              // What hygiene adds never starts like a formula, whatever the remote text was.
              for (const added of row.slice(4)) expect(escapeFormula(added), `${name}: ${added}`).toBe(added);
            }
          }
          if (escapeFormulas && !fix) {
            const changed = [header, ...data].flat().filter((v) => escapeFormula(v) !== v).length;
            expect(report.input.escapedFormulas).toBe(changed);
          }
          if (!escapeFormulas) expect(report.input.escapedFormulas).toBeUndefined();
          for (const row of fixes) for (const cell of row) expect(escapeFormula(cell)).toBe(cell);
        },
      ),
      { numRuns: 80 },
    );
  });
});

describe('recording bounces (hygiene ingest / clean --bounces)', () => {
  const RECIPIENTS = ['ann@example.org', 'Ann@Example.org', 'bo@example.net', 'cy@example.com'];
  const KINDS = [
    { dsn: '5.1.1', status: 'bounced', said: '550 5.1.1 No such user' },
    { dsn: '4.2.2', status: 'deferred', said: '452 4.2.2 Mailbox full' },
    { dsn: '5.7.1', status: 'bounced', said: '550 5.7.1 Message rejected as spam' },
    { dsn: '2.0.0', status: 'sent', said: '250 2.0.0 Ok: queued as 9B2C' },
  ];
  const event = fc.record({
    recipient: fc.nat({ max: RECIPIENTS.length - 1 }),
    kind: fc.nat({ max: KINDS.length - 1 }),
    day: fc.nat({ max: 20 }),
    queue: fc.nat({ max: 2 }),
  });
  const logLine = (e: { recipient: number; kind: number; day: number; queue: number }) => {
    const kind = KINDS[e.kind]!;
    const day = String(1 + e.day).padStart(2, '0');
    return `2026-11-${day}T10:00:00+00:00 mx1 postfix/smtp[9]: Q${e.queue}AB12: to=<${RECIPIENTS[e.recipient]}>, relay=mx.example.org[192.0.2.7]:25, delay=1, delays=0.1/0/0.5/0.4, dsn=${kind.dsn}, status=${kind.status} (host mx.example.org[192.0.2.7] said: ${kind.said} (in reply to RCPT TO command))`;
  };
  /** The log, its rotated copies (each a subset, in order), and two orders of reading them with repeats and batch cuts. */
  const scenario = fc
    // Addresses are one mailbox in any case, so lines that differ only in its case are one event.
    .uniqueArray(event, { minLength: 1, maxLength: 25, selector: (e) => logLine({ ...e, recipient: e.recipient === 1 ? 0 : e.recipient }) })
    .chain((events) => {
      const lines = events.map(logLine);
      const files = fc.tuple(fc.constant(lines), fc.subarray(lines), fc.subarray(lines));
      const reading = fc.tuple(
        fc.shuffledSubarray([0, 1, 2], { minLength: 3 }),
        fc.array(fc.nat({ max: 2 }), { maxLength: 3 }),
        fc.nat({ max: 30 }),
      );
      return fc.tuple(files, reading, reading);
    });

  async function recordAll(store: HistoryStore, files: string[][], order: number[], cut: number): Promise<void> {
    let batch: BounceRecord[] = [];
    for (const index of order) {
      const name = index === 0 ? 'mail.log' : `mail.log.${index}`;
      const text = `${files[index]!.join('\n')}\n`;
      async function* bytes() {
        yield Buffer.from(text);
      }
      for await (const record of parseBounces(bytes(), { format: 'postfix', file: name })) {
        batch.push(record);
        if (batch.length >= cut + 1) {
          store.ingest(batch, new Date('2026-11-30T00:00:00Z'));
          batch = [];
        }
      }
    }
    store.ingest(batch, new Date('2026-11-30T00:00:00Z'));
  }

  it('gives one history for any order and repetition of overlapping logs, each event once', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async ([files, [orderA, repeatsA, cutA], [orderB, repeatsB, cutB]]) => {
        const a = HistoryStore.open(fresh('a.db'));
        const b = HistoryStore.open(fresh('b.db'));
        const once = HistoryStore.open(fresh('once.db'));
        try {
          await recordAll(a, files, [...orderA, ...repeatsA], cutA);
          await recordAll(b, files, [...repeatsB, ...orderB, ...repeatsB], cutB);
          await recordAll(once, files, [0], 1000);
          const historiesA = a.loadHistories();
          expect(b.loadHistories()).toEqual(historiesA);
          // The same events as reading the main log once (only where each was read may differ).
          // (Events at the same second are ordered by where they were read, so compare them as sets.)
          const withoutSources = (histories: typeof historiesA) =>
            [...histories.entries()]
              .sort(([x], [y]) => x.localeCompare(y))
              .map(([key, h]) => [key, h.events.map(({ source: _source, ...rest }) => rest).sort((x, y) => x.id.localeCompare(y.id))]);
          expect(withoutSources(historiesA)).toEqual(withoutSources(once.loadHistories()));
          expect([...historiesA.values()].reduce((n, h) => n + h.events.length, 0)).toBe(files[0].length);
          const now = new Date('2026-11-30T00:00:00Z');
          const verdict = (history: Parameters<typeof decide>[0]) => {
            const { source: _source, detail: _detail, ...rest } = decide(history, DEFAULT_POLICY, now);
            return rest;
          };
          for (const [key, history] of historiesA) expect(verdict(history), key).toEqual(verdict(once.historyOf(key)));
        } finally {
          a.close();
          b.close();
          once.close();
        }
      }),
      { numRuns: 40 },
    );
  });
});
