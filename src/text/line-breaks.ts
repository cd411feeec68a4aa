/**
 * Line breaks of a text as `split(/\r\n|\r|\n/)` finds them (LF, CRLF, or a bare CR), looked
 * for from left to right with indexOf, which scans far faster than a loop over the characters.
 * Each kind is searched again only once the reading has passed it, so a text without CRs is
 * searched for one once.
 */
export function lineBreakFinder(text: string): (from: number) => number {
  let lf = text.indexOf('\n');
  let cr = text.indexOf('\r');
  /** Where the first line break at or after `from` is, or the text's length when none is. */
  return (from) => {
    if (lf !== -1 && lf < from) lf = text.indexOf('\n', from);
    if (cr !== -1 && cr < from) cr = text.indexOf('\r', from);
    if (lf === -1) return cr === -1 ? text.length : cr;
    return cr === -1 ? lf : Math.min(lf, cr);
  };
}

/** Where the line after the break at `at` starts: CRLF is one break of two characters. */
export function afterLineBreak(text: string, at: number): number {
  return text.charCodeAt(at) === 0x0d && text.charCodeAt(at + 1) === 0x0a ? at + 2 : at + 1;
}
