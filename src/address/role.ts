/** Role accounts: addresses read by a team or a machine rather than one person. */
import { readDataList } from './domains.js';

let roleLocals: Set<string> | undefined;
/** The first two characters of every role name ("po" of "postmaster"), as 16-bit pairs. */
let rolePrefixes: Set<number> | undefined;

/** Separators people put inside role names: "no-reply", "no.reply", "no_reply". */
const SEPARATORS = /[._-]/g;
/** Longer locals are never role names; bounds the work on hostile input. */
const MAX_ROLE_LENGTH = 64;

function normalizeRole(local: string): string {
  let key = local.toLowerCase();
  if (key.length >= 2 && key.startsWith('"') && key.endsWith('"')) key = key.slice(1, -1);
  const plus = key.indexOf('+');
  if (plus > 0) key = key.slice(0, plus);
  return key.replace(SEPARATORS, '');
}

/**
 * True when `local` (the part before the @) names a role (info, sales, noreply, postmaster, ...),
 * in any case, with or without a "+tag" or separators.
 */
export function isRoleLocal(local: string): boolean {
  if (local.length === 0 || local.length > MAX_ROLE_LENGTH) return false;
  if (!roleLocals || !rolePrefixes) {
    roleLocals = new Set(readDataList('role-locals.txt').map(normalizeRole));
    rolePrefixes = new Set([...roleLocals].map((role) => prefixCode(role, 0, role.length)));
  }
  // Most locals are people's names: two characters rule them out without building the key.
  const prefix = normalizedPrefix(local);
  if (prefix !== UNSURE && !rolePrefixes.has(prefix)) return false;
  return roleLocals.has(normalizeRole(local));
}

const UNSURE = -1;
const PLUS = 43;
const QUOTE = 34;

/**
 * The first two characters of `normalizeRole(local)` as one number, without building it; UNSURE
 * for anything but plain ASCII letters, digits and separators (lower-casing may change length).
 */
function normalizedPrefix(local: string): number {
  let start = 0;
  let end = local.length;
  if (end >= 2 && local.charCodeAt(0) === QUOTE && local.charCodeAt(end - 1) === QUOTE) {
    start = 1;
    end--;
  }
  const plus = local.indexOf('+', start);
  // normalizeRole drops a tag only after the first character of the (unquoted) key.
  if (plus > start && plus < end) end = plus;
  return prefixCode(local, start, end);
}

/** The first two non-separator characters of text[start, end), lower-cased, as one number. */
function prefixCode(text: string, start: number, end: number): number {
  let code = 0;
  let found = 0;
  for (let i = start; i < end && found < 2; i++) {
    let char = text.charCodeAt(i);
    if (char === 46 || char === 95 || char === 45) continue; // . _ -
    if (char >= 65 && char <= 90) char += 32;
    else if (char >= 128 || char === PLUS) return UNSURE;
    code = (code << 16) | char;
    found++;
  }
  return code;
}
