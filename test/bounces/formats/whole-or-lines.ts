/** Test helpers: a file read by a format line by line, as read-bounces.ts reads a big one, or whole. */
import type { WholeInputReader } from '../../../src/bounces/formats/index.js';
import { bytesToLines } from '../../../src/bounces/input.js';
import type { FormatParser, ParseContext, ParseItem } from '../../../src/bounces/types.js';

export async function lineByLine(
  format: FormatParser,
  bytes: Buffer,
  context: ParseContext,
): Promise<{ lines: number; items: ParseItem[] }> {
  const crOnly = !bytes.includes(0x0a) && bytes.includes(0x0d);
  let lines = 0;
  async function* oneChunk() {
    yield bytes;
  }
  const items: ParseItem[] = [];
  for await (const item of format.parse(
    bytesToLines(oneChunk(), 'latin1', crOnly, () => lines++),
    context,
  ))
    items.push(item);
  return { lines, items };
}

export async function whole(
  reader: WholeInputReader,
  bytes: Buffer,
  context: ParseContext,
): Promise<{ lines: number; items: ParseItem[] }> {
  const read = reader(bytes, context)!;
  return { lines: read.lines, items: await read.items };
}
