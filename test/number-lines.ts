import type { NumberedLine } from '../src/bounces/types.js';

/**
 * Splits text into numbered lines, accepting LF, CRLF and CR-only line endings (mail from old
 * systems still arrives with bare CR). Used for in-memory input (tests, stdin samples).
 */
export async function* numberLines(text: string): AsyncIterable<NumberedLine> {
  yield* numberLinesSync(text);
}

export function* numberLinesSync(text: string): Iterable<NumberedLine> {
  let line = 1;
  let start = 0;
  const length = text.length;
  for (let i = 0; i < length; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 10 || ch === 13) {
      yield { line, text: text.slice(start, i) };
      if (ch === 13 && text.charCodeAt(i + 1) === 10) i++;
      start = i + 1;
      line++;
    }
  }
  if (start < length) yield { line, text: text.slice(start) };
}
