/**
 * Numbered lines of a text (LF, CRLF or CR endings), as the CLI's readers hand them to the
 * format parsers; the benches feed files read whole through it.
 */
export async function* numberLines(text) {
  let line = 1;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 10 || ch === 13) {
      yield { line: line++, text: text.slice(start, i) };
      if (ch === 13 && text.charCodeAt(i + 1) === 10) i++;
      start = i + 1;
    }
  }
  if (start < text.length) yield { line, text: text.slice(start) };
}
