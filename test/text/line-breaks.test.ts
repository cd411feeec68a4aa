import { describe, expect, it } from 'vitest';
import { afterLineBreak, lineBreakFinder } from '../../src/text/line-breaks.js';

/** The lines of `text` as walked with the finder, the way the message readers walk them. */
function walkedLines(text: string): string[] {
  const lineBreakFrom = lineBreakFinder(text);
  const lines: string[] = [];
  for (let start = 0; ;) {
    const end = lineBreakFrom(start);
    lines.push(text.slice(start, end));
    if (end === text.length) return lines;
    start = afterLineBreak(text, end);
  }
}

describe('line breaks', () => {
  it('finds LF, CRLF and bare CR breaks as split(/\\r\\n|\\r|\\n/) does', () => {
    expect(walkedLines('a\r\nb\rc\nd')).toEqual(['a', 'b', 'c', 'd']);
    expect(walkedLines('\r\r\n\n')).toEqual(['', '', '', '']);
    let seed = 7;
    const random = () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed / 0x7fffffff;
    };
    const pieces = ['\r', '\n', '\r\n', 'a', 'bc', ' '];
    for (let round = 0; round < 20000; round++) {
      let text = '';
      const count = Math.floor(random() * 12);
      for (let i = 0; i < count; i++) text += pieces[Math.floor(random() * pieces.length)]!;
      expect(walkedLines(text), JSON.stringify(text)).toEqual(text.split(/\r\n|\r|\n/));
    }
  });
});
