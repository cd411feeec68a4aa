/**
 * Cells that hold several addresses: Google Contacts joins them with ` ::: `, CRMs with `;` or
 * `,`, mail clients write `Carl <carl@x.example>, Dora <dora@y.example>`. Such a cell is not
 * one broken address but a list; each address in it is found and named.
 */
import { checkSyntax } from './syntax.js';
import { unwrapAddress } from './repair.js';

/** Longer cells are not a short list of addresses; not worth splitting. */
const MAX_CELL_LENGTH = 4096;
/** Separators between addresses in one cell (outside quotes and angle brackets). */
const SEPARATORS = new Set([';', ',', '|', '\n', '\r', '\t', ' ']);
/** One address, maybe wrapped: `<a@b.c>`, `mailto:a@b.c`, `"a@b.c"`. Bounded runs: linear. */
const ADDRESS_LIKE = /^[^@\s]{1,256}@[^@\s.]{1,253}(?:\.[^@\s.]{1,63})+$/;

/**
 * The addresses of a cell that holds two or more of them, unwrapped (display names, brackets,
 * `mailto:` dropped), in the order written; null when the cell holds at most one.
 */
export function splitAddresses(cell: string): string[] | null {
  if (cell.length > MAX_CELL_LENGTH) return null;
  const at = cell.indexOf('@');
  if (at < 0 || cell.indexOf('@', at + 1) < 0) return null;
  // A valid address with a quoted local part may hold commas, blanks and even `@`.
  if (checkSyntax(cell.trim()).valid) return null;
  const parts = cell.includes(':::') ? cell.split(':::') : splitOutsideQuotes(cell);
  const addresses: string[] = [];
  for (const part of parts) {
    const unwrapped = unwrapAddress(trimSeparators(part));
    if (ADDRESS_LIKE.test(unwrapped)) addresses.push(unwrapped);
  }
  return addresses.length >= 2 ? addresses : null;
}

/**
 * Splits at separators outside `"..."` and `<...>`, and only after an `@`: a display name with
 * blanks or a comma stays with its address (`Berg, Carl <carl@x.example>`).
 */
function splitOutsideQuotes(cell: string): string[] {
  const parts: string[] = [];
  let start = 0;
  let inQuotes = false;
  let inAngle = false;
  let sawAt = false;
  for (let i = 0; i < cell.length; i++) {
    const character = cell[i]!;
    if (character === '"') inQuotes = !inQuotes;
    else if (inQuotes) continue;
    else if (character === '<') inAngle = true;
    else if (character === '>') inAngle = false;
    else if (character === '@') sawAt = true;
    else if (!inAngle && sawAt && SEPARATORS.has(character)) {
      parts.push(cell.slice(start, i));
      start = i + 1;
      sawAt = false;
    }
  }
  parts.push(cell.slice(start));
  return parts;
}

function trimSeparators(part: string): string {
  let start = 0;
  let end = part.length;
  while (start < end && SEPARATORS.has(part[start]!)) start++;
  while (end > start && SEPARATORS.has(part[end - 1]!)) end--;
  return part.slice(start, end);
}
