/** Role accounts: addresses read by a team or a machine rather than one person. */
import { readDataList } from './domains.js';

let roleLocals: Set<string> | undefined;

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
  roleLocals ??= new Set(readDataList('role-locals.txt').map(normalizeRole));
  return roleLocals.has(normalizeRole(local));
}
