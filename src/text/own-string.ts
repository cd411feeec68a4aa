/**
 * `text` as a string that holds only its own characters. V8 keeps a slice, a regex capture or a
 * trim of a long string as a view into that string: a record that keeps a 60-character
 * diagnostic cut from a 9 KB bounce message keeps the whole message alive (10,000 messages read
 * for sorting held about 50 MB that way, which the garbage collector then copied around).
 * Joining makes a new flat string, of which the slice keeps just one character more.
 */
export function ownString<T extends string | null | undefined>(text: T): T {
  // Shorter strings are always copies: V8 makes no view of fewer than 13 characters.
  if (typeof text !== 'string' || text.length < 13) return text;
  return `${text} `.slice(0, -1) as T;
}
