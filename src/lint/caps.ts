/** Words written in capitals ("FREE", "ÉTÉ"), counted over letters that have a case. */

export interface CapsCount {
  words: number;
  capitals: number;
  /** The capitalised words, in order. */
  examples: string[];
}

const WORD = /[\p{L}\p{M}\p{N}'’-]+/gu;

/** Counts words with at least `minimumLetters` cased letters, and those among them in capitals. */
export function countCapitals(text: string, minimumLetters: number): CapsCount {
  const result: CapsCount = { words: 0, capitals: 0, examples: [] };
  for (const match of text.matchAll(WORD)) {
    let cased = 0;
    let upper = 0;
    for (const character of match[0]) {
      const lower = character.toLowerCase();
      const upperForm = character.toUpperCase();
      if (lower === upperForm) continue;
      cased += 1;
      if (character === upperForm) upper += 1;
    }
    if (cased < minimumLetters) continue;
    result.words += 1;
    if (upper === cased) {
      result.capitals += 1;
      result.examples.push(match[0]);
    }
  }
  return result;
}
