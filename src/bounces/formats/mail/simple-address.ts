/**
 * postal-mime's `addressParser` for the shapes most bounce headers have, without its tokenizer
 * (a fifth of the lean MIME reader's time went there): `<ann@example.org>`, `ann@example.org`,
 * `Mail Delivery System <mailer-daemon@example.org>`, `"Mail Delivery System" <...>`, the null
 * sender `<>`, and `mailer-daemon@example.org (Mail Delivery System)`. Anything
 * else gives null and goes to addressParser. test/bounces/simple-address.test.ts holds both to
 * the same answers over every address header of the corpus and variants of them.
 */
import type { Address } from 'postal-mime';

const ATOM = '[A-Za-z0-9._%+=-]{1,128}@[A-Za-z0-9-]{1,63}(?:\\.[A-Za-z0-9-]{1,63}){0,16}';
const WORDS = '[A-Za-z0-9]{1,64}(?: [A-Za-z0-9]{1,64}){0,16}';
/**
 * `[name ]<address>` (the name plain words or those words in quotes; the address may be empty),
 * or the bare address, perhaps followed by a comment of plain words (which postal-mime takes for
 * the name).
 */
const SIMPLE = new RegExp(
  `^[ \\t]{0,8}(?:(?:(${WORDS})|"(${WORDS})")? {0,1}<(${ATOM})?>|(${ATOM})(?: {0,4}\\((${WORDS})\\))?)[ \\t]{0,8}$`,
);

export function simpleAddressList(value: string): Address[] | null {
  const match = SIMPLE.exec(value);
  if (match === null) return null;
  return [{ address: match[3] ?? match[4] ?? '', name: match[1] ?? match[2] ?? match[5] ?? '' }];
}
