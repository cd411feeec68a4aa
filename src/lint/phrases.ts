/**
 * Spam trigger phrases, one data file per language under data/spam-phrases/ (`en.txt`, `fr.txt`,
 * ...; each names its source at the top). Text and phrases are compared Unicode-normalised
 * (NFKC: full-width letters, ligatures and compatibility forms become plain ones) and
 * case-folded; a phrase matches as whole words only ("free" not in "freedom"), except phrases in
 * scripts written without spaces (Chinese, Japanese), which match anywhere.
 */
import { readdirSync, readFileSync } from 'node:fs';

export interface PhraseList {
  language: string;
  phrases: Array<{ text: string; folded: string; anywhere: boolean }>;
}

export interface PhraseHit {
  phrase: string;
  language: string;
  /** Offset of the match in the text searched. */
  offset: number;
}

const DATA_DIR = new URL('../../data/spam-phrases/', import.meta.url);
const NO_SPACES_SCRIPT = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}]/u;
const WORD_CHARACTER = /[\p{L}\p{N}\p{M}]/u;
const COMBINING_MARK = /^\p{M}$/u;

let cached: PhraseList[] | null = null;

/** Every language's list (read once). */
export function phraseLists(): PhraseList[] {
  if (cached) return cached;
  const files = readdirSync(DATA_DIR)
    .filter((name) => name.endsWith('.txt'))
    .sort();
  cached = files.map((name) => parsePhraseList(name.replace(/\.txt$/, ''), readFileSync(new URL(name, DATA_DIR), 'utf8')));
  return cached;
}

/** A data file: one phrase a line, `#` starts a comment, blank lines ignored. */
export function parsePhraseList(language: string, content: string): PhraseList {
  const seen = new Set<string>();
  const phrases: PhraseList['phrases'] = [];
  for (const line of content.split('\n')) {
    const text = line.replace(/#.*/, '').trim();
    if (text === '') continue;
    const folded = fold(text).text;
    if (seen.has(folded)) continue;
    seen.add(folded);
    phrases.push({ text, folded, anywhere: NO_SPACES_SCRIPT.test(folded) });
  }
  return { language, phrases };
}

/** Every phrase of the lists found in the text (each phrase once, at its first place). */
export function findPhrases(text: string, lists: PhraseList[]): PhraseHit[] {
  const folded = fold(text);
  const hits: PhraseHit[] = [];
  for (const list of lists) {
    for (const phrase of list.phrases) {
      const at = findWhole(folded.text, phrase.folded, phrase.anywhere);
      if (at !== -1) hits.push({ phrase: phrase.text, language: list.language, offset: folded.origin[at] ?? 0 });
    }
  }
  return hits.sort((a, b) => a.offset - b.offset);
}

function findWhole(text: string, phrase: string, anywhere: boolean): number {
  for (let at = text.indexOf(phrase); at !== -1; at = text.indexOf(phrase, at + 1)) {
    if (anywhere) return at;
    const before = at > 0 ? text[at - 1]! : '';
    const after = text[at + phrase.length] ?? '';
    const startsWord = WORD_CHARACTER.test(phrase[0]!);
    const endsWord = WORD_CHARACTER.test(phrase[phrase.length - 1]!);
    if ((!startsWord || !WORD_CHARACTER.test(before)) && (!endsWord || !WORD_CHARACTER.test(after))) return at;
  }
  return -1;
}

/**
 * NFKC and case folding, letter by letter (a letter with its combining marks as one: e + U+0301
 * becomes é), keeping for each folded character the offset it came from; white space runs become
 * one space and curly apostrophes straight ones.
 */
export function fold(text: string): { text: string; origin: number[] } {
  const pieces: string[] = [];
  const origin: number[] = [];
  let lastWasSpace = false;
  const emit = (piece: string, at: number) => {
    if (piece === ' ') {
      if (lastWasSpace) return;
      lastWasSpace = true;
    } else lastWasSpace = false;
    for (let i = 0; i < piece.length; i += 1) origin.push(at);
    pieces.push(piece);
  };
  let cluster = '';
  let clusterAt = 0;
  const flush = () => {
    if (cluster === '') return;
    let piece = cluster.normalize('NFKC').toLowerCase().replace(/ß/g, 'ss').replace(/ς/g, 'σ').replace(/[’‘´]/g, "'");
    if (/^\s+$/u.test(piece)) piece = ' ';
    emit(piece, clusterAt);
    cluster = '';
  };
  let offset = 0;
  for (const character of text) {
    const code = character.charCodeAt(0);
    if (code < 0x80) {
      // ASCII, most of any text: only case and white space to fold.
      flush();
      if (code === 0x20 || (code >= 0x09 && code <= 0x0d)) emit(' ', offset);
      else emit(code >= 0x41 && code <= 0x5a ? String.fromCharCode(code + 32) : code === 0x60 ? "'" : character, offset);
    } else if (COMBINING_MARK.test(character)) {
      if (cluster === '' && pieces.length > 0) {
        // A mark on an ASCII letter already emitted: fold the two again together.
        const previous = pieces.pop()!;
        origin.length -= previous.length;
        cluster = previous;
        clusterAt = offset - 1;
        lastWasSpace = false;
      }
      cluster += character;
    } else {
      flush();
      cluster = character;
      clusterAt = offset;
    }
    offset += character.length;
  }
  flush();
  return { text: pieces.join(''), origin };
}
