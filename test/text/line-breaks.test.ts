import { describe, expect, it } from 'vitest';
import { afterLineBreak, lineBreakFinder } from '../../src/text/line-breaks.js';
import { randomText, seededRandom } from '../helpers.js';

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
    const random = seededRandom(7);
    const pieces = ['\r', '\n', '\r\n', 'a', 'bc', ' '];
    for (let round = 0; round < 20000; round++) {
      const text = randomText(random, pieces, 0, 12);
      expect(walkedLines(text), JSON.stringify(text)).toEqual(text.split(/\r\n|\r|\n/));
    }
  });
});
