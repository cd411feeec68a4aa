/**
 * A model of typing slips: a weighted Damerau (optimal string alignment) distance where the
 * slips people really make cost less than arbitrary edits. Hitting a neighbouring key, doubling
 * or halving a letter, or typing a digit that looks like a letter costs half an edit, so
 * "gmqil" (q is next to a) is closer to "gmail" than "gmxil" is.
 */

/** QWERTY rows with their horizontal offset in key widths, as the keys sit on a real keyboard. */
const KEY_ROWS: ReadonlyArray<readonly [string, number]> = [
  ['1234567890-', 0],
  ['qwertyuiop', 0.5],
  ['asdfghjkl', 0.75],
  ['zxcvbnm', 1.25],
];

/** Characters people confuse by sight rather than by position. */
const LOOKALIKES: ReadonlyArray<readonly [string, string]> = [
  ['0', 'o'],
  ['1', 'l'],
  ['1', 'i'],
];

export const CHEAP_EDIT = 0.5;
export const FULL_EDIT = 1;

const ASCII = 128;

/** A 128 x 128 table of neighbouring keys and look-alikes, indexed by char codes (the hot path). */
function buildNeighbours(): Uint8Array {
  const positions = new Map<string, { row: number; x: number }>();
  KEY_ROWS.forEach(([keys, offset], row) => {
    [...keys].forEach((key, index) => positions.set(key, { row, x: offset + index }));
  });
  const matrix = new Uint8Array(ASCII * ASCII);
  const link = (a: string, b: string) => {
    matrix[a.charCodeAt(0) * ASCII + b.charCodeAt(0)] = 1;
    matrix[b.charCodeAt(0) * ASCII + a.charCodeAt(0)] = 1;
  };
  for (const [key, a] of positions) {
    for (const [other, b] of positions) {
      const dy = Math.abs(a.row - b.row);
      const dx = Math.abs(a.x - b.x);
      // Same row: the keys either side. Next row: the two keys the finger can slip onto.
      if ((dy === 0 && dx === 1) || (dy === 1 && dx < 1)) link(key, other);
    }
  }
  for (const [a, b] of LOOKALIKES) link(a, b);
  return matrix;
}

const NEIGHBOURS = buildNeighbours();

function neighbourCodes(a: number, b: number): boolean {
  return a < ASCII && b < ASCII && NEIGHBOURS[a * ASCII + b] === 1;
}

/** True when `a` and `b` are neighbouring keys on a QWERTY keyboard or look alike (0/o, 1/l). */
export function areNeighbours(a: string, b: string): boolean {
  return a.length === 1 && b.length === 1 && neighbourCodes(a.charCodeAt(0), b.charCodeAt(0));
}

const DOT = 46;

function substitutionCodeCost(typed: number, intended: number): number {
  if (typed === intended) return 0;
  return neighbourCodes(typed, intended) ? CHEAP_EDIT : FULL_EDIT;
}

/** Cost of typing `typed` where `intended` was meant. Dots are never cheap: they carry structure. */
export function substitutionCost(typed: string, intended: string): number {
  return substitutionCodeCost(typed.charCodeAt(0), intended.charCodeAt(0));
}

/** Cost of a stray character at `index` of `typed`: cheap when it doubles or sits next to a neighbour key. */
function extraCharCost(typed: string, index: number): number {
  const char = typed.charCodeAt(index);
  if (char === DOT) return FULL_EDIT;
  const before = index > 0 ? typed.charCodeAt(index - 1) : -1;
  const after = index + 1 < typed.length ? typed.charCodeAt(index + 1) : -1;
  if (char === before || char === after) return CHEAP_EDIT;
  if (neighbourCodes(char, before) || neighbourCodes(char, after)) return CHEAP_EDIT;
  return FULL_EDIT;
}

/** Cost of leaving out `intended[index]`: cheap when it is one of a doubled pair ("yaho" for "yahoo"). */
function missingCharCost(intended: string, index: number): number {
  const char = intended.charCodeAt(index);
  if (char === DOT) return FULL_EDIT;
  const before = index > 0 ? intended.charCodeAt(index - 1) : -1;
  const after = index + 1 < intended.length ? intended.charCodeAt(index + 1) : -1;
  return char === before || char === after ? CHEAP_EDIT : FULL_EDIT;
}

const TRANSPOSITION = FULL_EDIT;
/**
 * A letter typed two places early or late ("hotimal", "yaooh"): one slip of the hand, where an
 * alignment without it pays a missing and an extra letter. It never makes a row of the table
 * cheaper than the row before can be: on the way, that row holds the cost of leaving the moved
 * letter out, at most FULL_EDIT (the early exit of `typingDistance` relies on it).
 */
const MOVE = FULL_EDIT;

/**
 * True when the three typed characters ending at `t` are those ending at `i` with one of them
 * moved two places: "bca" or "cab" for "abc".
 */
function isMove(t0: number, t1: number, t2: number, i0: number, i1: number, i2: number): boolean {
  if (t0 === i0 && t1 === i1 && t2 === i2) return false;
  return (t0 === i1 && t1 === i2 && t2 === i0) || (t0 === i2 && t1 === i0 && t2 === i1);
}

export type EditKind = 'swapped' | 'moved' | 'extra' | 'missing' | 'neighbour' | 'wrong';

/** One step of the cheapest alignment, for explaining a suggestion to a person. */
export interface Edit {
  kind: EditKind;
  /** Position in the typed string. */
  at: number;
}

/** The full table, kept for explaining a suggestion (rare, so allocation does not matter). */
function fillTable(typed: string, intended: string): number[][] {
  const rows = typed.length + 1;
  const cols = intended.length + 1;
  const table: number[][] = [];
  for (let i = 0; i < rows; i++) table.push(new Array<number>(cols).fill(0));
  for (let j = 1; j < cols; j++) table[0]![j] = table[0]![j - 1]! + missingCharCost(intended, j - 1);
  for (let i = 1; i < rows; i++) {
    const row = table[i]!;
    const previous = table[i - 1]!;
    row[0] = previous[0]! + extraCharCost(typed, i - 1);
    for (let j = 1; j < cols; j++) {
      const a = typed[i - 1]!;
      const b = intended[j - 1]!;
      let best = Math.min(
        previous[j]! + extraCharCost(typed, i - 1),
        row[j - 1]! + missingCharCost(intended, j - 1),
        previous[j - 1]! + substitutionCost(a, b),
      );
      if (i > 1 && j > 1 && a !== b && a === intended[j - 2] && typed[i - 2] === b) {
        best = Math.min(best, table[i - 2]![j - 2]! + TRANSPOSITION);
      }
      if (i > 2 && j > 2 && movedAt(typed, i, intended, j)) best = Math.min(best, table[i - 3]![j - 3]! + MOVE);
      row[j] = best;
    }
  }
  return table;
}

/** `isMove` for the three characters ending at `i` of `typed` and at `j` of `intended`. */
function movedAt(typed: string, i: number, intended: string, j: number): boolean {
  return isMove(
    typed.charCodeAt(i - 3),
    typed.charCodeAt(i - 2),
    typed.charCodeAt(i - 1),
    intended.charCodeAt(j - 3),
    intended.charCodeAt(j - 2),
    intended.charCodeAt(j - 1),
  );
}

// Reusable rows (three back for moved letters) and per-column costs: the hot path allocates nothing.
let rowThreeBack = new Float64Array(64);
let rowBefore = new Float64Array(64);
let rowPrevious = new Float64Array(64);
let rowCurrent = new Float64Array(64);
let missingCosts = new Float64Array(64);

/**
 * Weighted Damerau distance from what was typed to what was meant. Returns `Infinity` as soon as
 * the distance must exceed `limit`, so checking a domain against many targets stays cheap.
 */
export function typingDistance(typed: string, intended: string, limit = Infinity): number {
  // Each edit costs at least CHEAP_EDIT, so a length gap alone can rule a pair out.
  if (Math.abs(typed.length - intended.length) * CHEAP_EDIT > limit) return Infinity;
  const cols = intended.length + 1;
  if (rowCurrent.length < cols) {
    rowThreeBack = new Float64Array(cols * 2);
    rowBefore = new Float64Array(cols * 2);
    rowPrevious = new Float64Array(cols * 2);
    rowCurrent = new Float64Array(cols * 2);
    missingCosts = new Float64Array(cols * 2);
  }
  let threeBack = rowThreeBack;
  let before = rowBefore;
  let previous = rowPrevious;
  let current = rowCurrent;
  previous[0] = 0;
  for (let j = 1; j < cols; j++) {
    missingCosts[j] = missingCharCost(intended, j - 1);
    previous[j] = previous[j - 1]! + missingCosts[j]!;
  }
  let typedBefore = -1;
  for (let i = 1; i <= typed.length; i++) {
    const a = typed.charCodeAt(i - 1);
    const extra = extraCharCost(typed, i - 1);
    current[0] = previous[0]! + extra;
    let rowMinimum = current[0]!;
    let intendedBefore = -1;
    for (let j = 1; j < cols; j++) {
      const b = intended.charCodeAt(j - 1);
      let best = previous[j]! + extra;
      const missing = current[j - 1]! + missingCosts[j]!;
      if (missing < best) best = missing;
      const substitute = previous[j - 1]! + substitutionCodeCost(a, b);
      if (substitute < best) best = substitute;
      if (a !== b && a === intendedBefore && typedBefore === b) {
        const swap = before[j - 2]! + TRANSPOSITION;
        if (swap < best) best = swap;
      }
      if (i > 2 && j > 2 && movedAt(typed, i, intended, j)) {
        const move = threeBack[j - 3]! + MOVE;
        if (move < best) best = move;
      }
      current[j] = best;
      if (best < rowMinimum) rowMinimum = best;
      intendedBefore = b;
    }
    // Later rows never cost less than this row's cheapest cell (a swap costs no less than a
    // substitution; a move no less than the missing letter the row before holds).
    if (rowMinimum > limit) return Infinity;
    const recycled = threeBack;
    threeBack = before;
    before = previous;
    previous = current;
    current = recycled;
    typedBefore = a;
  }
  const distance = previous[cols - 1]!;
  return distance > limit ? Infinity : distance;
}

/** The edits of one cheapest alignment of `typed` onto `intended`, in typed order. */
export function typingEdits(typed: string, intended: string): Edit[] {
  const table = fillTable(typed, intended);
  const edits: Edit[] = [];
  let i = typed.length;
  let j = intended.length;
  const close = (x: number, y: number) => Math.abs(x - y) < 1e-9;
  while (i > 0 || j > 0) {
    const here = table[i]![j]!;
    if (i > 0 && j > 0 && typed[i - 1] === intended[j - 1] && close(here, table[i - 1]![j - 1]!)) {
      i--;
      j--;
    } else if (
      i > 1 &&
      j > 1 &&
      typed[i - 1] === intended[j - 2] &&
      typed[i - 2] === intended[j - 1] &&
      close(here, table[i - 2]![j - 2]! + TRANSPOSITION)
    ) {
      edits.push({ kind: 'swapped', at: i - 2 });
      i -= 2;
      j -= 2;
    } else if (i > 2 && j > 2 && movedAt(typed, i, intended, j) && close(here, table[i - 3]![j - 3]! + MOVE)) {
      edits.push({ kind: 'moved', at: i - 3 });
      i -= 3;
      j -= 3;
    } else if (i > 0 && j > 0 && close(here, table[i - 1]![j - 1]! + substitutionCost(typed[i - 1]!, intended[j - 1]!))) {
      const kind = areNeighbours(typed[i - 1]!, intended[j - 1]!) ? 'neighbour' : 'wrong';
      edits.push({ kind, at: i - 1 });
      i--;
      j--;
    } else if (i > 0 && close(here, table[i - 1]![j]! + extraCharCost(typed, i - 1))) {
      edits.push({ kind: 'extra', at: i - 1 });
      i--;
    } else {
      edits.push({ kind: 'missing', at: i });
      j--;
    }
  }
  return edits.reverse();
}
