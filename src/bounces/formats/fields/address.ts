/**
 * Recipient addresses as MTA logs write them: `<ann@Example.ORG>`, `ann@example.org`, or lists
 * (`<a@x>,<b@y>` in Sendmail's `to=`). The local part is kept as logged (it may be
 * case-sensitive); the domain is lower-cased so the same mailbox compares equal downstream.
 */

/** Longer than any real address (RFC 5321 allows 256 for a path): hostile or broken. */
const MAX_ADDRESS_LENGTH = 512;

/**
 * Cleans one logged address: trims, keeps what is inside angle brackets, lower-cases the domain.
 * Returns null for the null sender `<>`, an empty value, or something too long to be an address.
 */
export function cleanAddress(raw: string): string | null {
  let value = raw.trim();
  if (value.endsWith('>')) {
    // `<a@b>`, or `"Name" <a@b>` where a display name slipped into the log.
    const open = value.lastIndexOf('<');
    if (open >= 0) value = value.slice(open + 1, -1).trim();
  }
  if (value.length === 0 || value.length > MAX_ADDRESS_LENGTH) return null;
  const at = value.lastIndexOf('@');
  if (at < 0) return value;
  return value.slice(0, at + 1) + value.slice(at + 1).toLowerCase();
}

/**
 * Reads the address value that starts at `start` (just after `to=`): bracketed up to `>`,
 * or bare up to a comma, space or the end. Returns the cleaned address (null if unusable) and
 * the index just after the value.
 */
export function readAddressValue(text: string, start: number): { address: string | null; end: number } {
  if (text.charCodeAt(start) === 60 /* < */) {
    const close = text.indexOf('>', start + 1);
    if (close < 0) return { address: null, end: text.length };
    return { address: cleanAddress(text.slice(start + 1, close)), end: close + 1 };
  }
  let end = start;
  const length = text.length;
  while (end < length) {
    const code = text.charCodeAt(end);
    if (code === 44 /* , */ || code === 32) break;
    end++;
  }
  return { address: cleanAddress(text.slice(start, end)), end };
}

/**
 * Reads a comma-separated address list starting at `start` (Sendmail `to=<a@x>,<b@y>,c@z`).
 * The list ends at a `, ` (comma and space, the field separator) or the end of the text;
 * commas inside `<...>` or `"..."` do not split. Returns the raw items and the end index.
 */
export function readAddressList(text: string, start: number): { items: string[]; end: number } {
  const items: string[] = [];
  const length = text.length;
  let itemStart = start;
  let inAngle = false;
  let inQuote = false;
  let position = start;
  for (; position < length; position++) {
    const code = text.charCodeAt(position);
    if (inQuote) {
      if (code === 34) inQuote = false;
      continue;
    }
    if (code === 34) inQuote = true;
    else if (code === 60) inAngle = true;
    else if (code === 62) inAngle = false;
    else if (code === 44 && !inAngle) {
      items.push(text.slice(itemStart, position));
      if (text.charCodeAt(position + 1) === 32) return { items, end: position };
      itemStart = position + 1;
    }
  }
  items.push(text.slice(itemStart, position));
  return { items, end: position };
}

/** The domain of an address (after the last `@`), or null. */
export function domainOf(address: string): string | null {
  const at = address.lastIndexOf('@');
  return at < 0 ? null : address.slice(at + 1);
}
