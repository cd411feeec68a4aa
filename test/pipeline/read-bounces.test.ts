/**
 * Reading bounce inputs fast must not change what is read: lines as a whole-input decode gives
 * them, however the bytes arrive; many inputs read side by side give the records, counts,
 * problems and errors of reading them one by one; batched output still streams.
 */
import { spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expandBounceInputs, bytesToLines } from '../../src/bounces/input.js';
import { emptyReadStats, readBounces, type BounceReadStats } from '../../src/pipeline/read-bounces.js';
import type { BounceRecord } from '../../src/bounces/types.js';

const REPO = path.resolve(__dirname, '../..');
const EML_FIXTURES = path.join(REPO, 'fixtures/bounces/eml');

async function* chunked(bytes: Buffer, cuts: readonly number[]): AsyncGenerator<Buffer> {
  let start = 0;
  for (const cut of [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b)) {
    yield bytes.subarray(start, cut);
    start = cut;
  }
  yield bytes.subarray(start);
}

async function texts(lines: AsyncIterable<{ line: number; text: string }>): Promise<string[]> {
  const all: string[] = [];
  let expected = 1;
  for await (const { line, text } of lines) {
    expect(line).toBe(expected++);
    all.push(text);
  }
  return all;
}

type Encoding = 'utf-8' | 'latin1' | 'windows-1252';

/** The plain reading: decode everything at once, then cut at the line ends. */
function linesOfWhole(bytes: Buffer, encoding: Encoding, crOnly: boolean): string[] {
  const text =
    encoding === 'latin1' ? bytes.toString('latin1') : new TextDecoder(encoding).decode(bytes, { stream: encoding === 'windows-1252' });
  const pieces = text.split(crOnly ? '\r' : '\n');
  const tail = pieces.pop()!;
  const lines = crOnly ? pieces : pieces.map((piece) => piece.replace(/\r$/, ''));
  const last = tail.replace(/\r$/, '');
  return last === '' ? lines : [...lines, last];
}

describe('bytesToLines', () => {
  // Line ends, multi-byte and broken UTF-8, Windows-1252 quotes, a byte order mark.
  const piece = fc.oneof(
    fc.constantFrom('\n', '\r\n', '\r', 'é', '日本', '😀', '\ufeff', 'status=bounced (550 5.1.1 unknown)', ' ', 'x'),
    fc.constantFrom(Buffer.from([0xe9]), Buffer.from([0x93, 0x94]), Buffer.from([0xf0, 0x9f]), Buffer.from([0xff]), Buffer.from([0x80])),
  );
  const input = fc
    .array(piece, { maxLength: 40 })
    .map((parts) => Buffer.concat(parts.map((part) => (typeof part === 'string' ? Buffer.from(part) : part))));

  it('gives the lines of decoding the whole input at once, however the bytes are cut', async () => {
    await fc.assert(
      fc.asyncProperty(
        input,
        fc.constantFrom<Encoding>('utf-8', 'latin1', 'windows-1252'),
        fc.boolean(),
        fc.array(fc.nat(), { maxLength: 12 }),
        async (bytes, encoding, crOnly, cuts) => {
          const got = await texts(bytesToLines(chunked(bytes, cuts), encoding, crOnly));
          expect(got).toEqual(linesOfWhole(bytes, encoding, crOnly));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('reads a read buffer of several 64 KiB pieces, with characters and lines across their borders', async () => {
    // 'é' is two bytes: an odd prefix puts one across every 64 KiB border of the chunk.
    const long = `x${'é'.repeat(100_000)}`;
    const text = `first\r\n${long}\nshort\n${'é'.repeat(40_000)}\nlast`;
    const bytes = Buffer.from(text);
    expect(bytes.length).toBeGreaterThan(256 * 1024);
    const got = await texts(bytesToLines(chunked(bytes, [300_000]), 'utf-8', false));
    expect(got).toEqual(['first', long, 'short', 'é'.repeat(40_000), 'last']);
  });

  it('decodes Windows-1252 punctuation, not as latin1', async () => {
    const bytes = Buffer.from([0x93, 0x51, 0x94, 0x20, 0x80, 0x0a]);
    expect(await texts(bytesToLines(chunked(bytes, []), 'windows-1252', false))).toEqual(['\u201cQ\u201d \u20ac']);
  });

  it('drops a UTF-8 byte order mark at the start only', async () => {
    const bytes = Buffer.from('\ufeffJan  1 00:00:00 mx postfix/smtp[1]: x\n\ufeffsecond\n');
    expect(await texts(bytesToLines(chunked(bytes, [1, 2]), 'utf-8', false))).toEqual([
      'Jan  1 00:00:00 mx postfix/smtp[1]: x',
      '\ufeffsecond',
    ]);
  });

  it('reports every line handed out, and closes the input when the reader stops early', async () => {
    let closed = false;
    async function* source(): AsyncGenerator<Buffer> {
      try {
        for (let i = 0; i < 100; i++) yield Buffer.from(`line ${i}\n`);
      } finally {
        closed = true;
      }
    }
    let counted = 0;
    let read = 0;
    for await (const line of bytesToLines(source(), 'utf-8', false, () => counted++)) {
      read++;
      if (line.line === 10) break;
    }
    expect(read).toBe(10);
    expect(counted).toBe(10);
    expect(closed).toBe(true);
  });
});

describe('readBounces over many inputs (a folder of bounce messages)', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'hygiene-read-'));
    // More inputs than are merged file by file, so they are read several at a time.
    const messages = readdirSync(EML_FIXTURES);
    for (let i = 0; i < 48; i++)
      copyFileSync(path.join(EML_FIXTURES, messages[i % messages.length]!), path.join(dir, `${String(i).padStart(3, '0')}.eml`));
    writeFileSync(path.join(dir, '020-notes.txt'), 'Dear diary,\nnothing bounced today.\n');
    writeFileSync(path.join(dir, '030-empty.eml'), '');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  async function read(inputs: Parameters<typeof readBounces>[0], strict = false) {
    const stats = emptyReadStats();
    const records: BounceRecord[] = [];
    for await (const record of readBounces(inputs, { strict }, stats)) records.push(record);
    return { records, stats };
  }

  it('gives the records, counts and problems of reading each input alone, records ordered by time', async () => {
    const inputs = await expandBounceInputs([dir]);
    expect(inputs.length).toBe(50);
    const together = await read(inputs);

    const alone = { records: [] as BounceRecord[], stats: emptyReadStats() as BounceReadStats };
    for (const input of inputs) {
      const one = await read([input]);
      alone.records.push(...one.records);
      alone.stats.files.push(...one.stats.files);
      alone.stats.problems.push(...one.stats.problems);
      for (const key of ['linesRead', 'records', 'skipped', 'malformed'] as const) alone.stats[key] += one.stats[key];
    }
    expect(together.stats).toEqual(alone.stats);
    expect(together.stats.files.map((file) => file.name)).toEqual(inputs.map((input) => input.name));
    expect(together.stats.problems.map((problem) => path.basename(problem.source))).toEqual(['020-notes.txt', '030-empty.eml']);

    // A record without a time sorts with the record before it in its input.
    let lastAt = '';
    const keyed = alone.records.map((record, index) => ({ record, index, key: (lastAt = record.at ?? lastAt) }));
    keyed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.index - b.index));
    expect(together.records).toEqual(keyed.map((entry) => entry.record));
  });

  it('with --strict, stops on the first bad input in folder order, whichever is read first', async () => {
    const inputs = await expandBounceInputs([dir]);
    await expect(read(inputs, true)).rejects.toThrow(/020-notes\.txt: unknown bounce format/);
  });
});

describe('hygiene classify output', () => {
  it('prints records as they are read from a pipe that stays open (tail -f mail.log | hygiene classify -)', async () => {
    const child = spawn(process.execPath, [path.join(REPO, 'bin/hygiene.js'), 'classify', '-', '--format', 'jsonl', '--year', '2026'], {
      env: { ...process.env, NO_COLOR: '1' },
    });
    try {
      let stdout = '';
      child.stdout.setEncoding('utf8');
      const firstRecord = new Promise<string>((resolve) => {
        child.stdout.on('data', (text: string) => {
          stdout += text;
          if (stdout.includes('\n')) resolve(stdout);
        });
      });
      const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
      // One bounce, then enough connection noise for format detection (64 KiB), and no end yet.
      const bounce =
        'Nov  3 10:00:00 mx1 postfix/smtp[1]: AB12CD34: to=<ann@example.org>, relay=mx.example.org[192.0.2.1]:25, delay=1, delays=0/0/0/1, dsn=5.1.1, status=bounced (host mx.example.org[192.0.2.1] said: 550 5.1.1 <ann@example.org>: Recipient address rejected: User unknown (in reply to RCPT TO command))\n';
      const noise = Array.from(
        { length: 1200 },
        (_, i) => `Nov  3 10:00:01 mx1 postfix/smtpd[2]: connect from client${i}.example.net[198.51.100.${i % 250}]\n`,
      ).join('');
      child.stdin.write(bounce + noise);
      // One record is far less than a batch: it must come out because reading waits for input.
      const line = await firstRecord;
      expect(JSON.parse(line.split('\n')[0]!)).toMatchObject({ recipient: 'ann@example.org', class: 'hard', reason: 'userunknown' });
      child.stdin.end();
      expect(await exited).toBe(0);
    } finally {
      child.kill();
    }
  }, 20_000);
});
